// Drain at scale: 2 → 50 → 2 webapps under load, 48 started and then 48
// stopped at once (a few docker commands at a time, as `compose --scale`
// does), with no failed request and no reload. At 50, every pair of
// containers gossips: this also fails if the host's ARP table is too small
// for them (see scripts/docker-engine.sh).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MANY_CONTAINERS_SHARES, weighContainers } from '../../harness/docker/containers-weight.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { inParallel } from '../../handlers/os/in-parallel.ts';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { formatReport } from '../../harness/load/load-generator.ts';
import { startLoadThread } from '../../harness/load/load-thread.ts';
import { reloadsLogged, waitConverged } from '../../harness/observe/cluster-state.ts';

const names = Array.from({ length: 50 }, (_, i) => `f${String(i + 1).padStart(2, '0')}`);
const stayers = names.slice(0, 2);
const movers = names.slice(2);

// Tens of containers start at once: see harness/docker/containers-weight.ts.
describe('scale 2 → 50 → 2', () => {
  const world = haCluster('whole suite');
  let restoreWeight = () => {};
  before(() => (restoreWeight = weighContainers(MANY_CONTAINERS_SHARES)));
  after(() => restoreWeight());

  test('48 join and 48 leave under load: 0 failed requests, 0 reloads, and exactly the live set in every view', { timeout: 420_000 }, async () => {
    await Promise.all(stayers.map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, stayers);
    const loadsBefore = await reloadsLogged(world.cluster);
    const load = startLoadThread({ url: `http://127.0.0.1:${world.ports.http}/`, rate: 200, connections: 40, keepAlive: false, timeoutMs: 5000 });

    await inParallel(movers, 8, (s) => world.cluster.startWebapp(s));
    const up = await waitConverged(world.cluster, world.ports, names, 180_000);
    assert.equal(up.up.length, 50);
    await sleep(2000);
    await inParallel(movers, 16, (s) => world.cluster.stop(s));
    const down = await waitConverged(world.cluster, world.ports, stayers, 120_000);
    assert.deepEqual(down.up, stayers);
    await sleep(1000);

    const report = await load.stop();
    console.log(`scale 2->50->2: ${formatReport(report)}; ${Object.keys(report.backends).length} backends answered`);
    assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
    assert.equal(Object.keys(report.backends).length, 50, 'every backend answered some request');
    assert.equal(await reloadsLogged(world.cluster), loadsBefore, 'HAProxy loaded no new config');
  });
});
