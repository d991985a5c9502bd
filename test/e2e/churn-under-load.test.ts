// Backends leaving under steady load: a graceful stop drains, a scale-down
// drains, a SIGKILL is absorbed by HAProxy's retries. Not one failed request.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatReport, startLoad, type LoadRun } from '../../harness/load/load-generator.ts';
import type { HaPorts } from '../../harness/docker/cluster.ts';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { waitConverged } from '../../harness/observe/cluster-state.ts';

function steadyLoad(ports: HaPorts): LoadRun {
  return startLoad({ url: `http://127.0.0.1:${ports.http}/`, rate: 400, connections: 40, keepAlive: true, timeoutMs: 5000 });
}

describe('churn under load', () => {
  const world = haCluster('each test');

  test('docker stop of a webapp: 0 failed requests, and it stops within Docker\'s 10 s', async () => {
    await Promise.all(['d1', 'd2', 'd3'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['d1', 'd2', 'd3']);
    const load = steadyLoad(world.ports);
    await sleep(1000);
    const started = Date.now();
    await world.cluster.stop('d2');
    const stopMs = Date.now() - started;
    await waitConverged(world.cluster, world.ports, ['d1', 'd3']);
    await sleep(500);
    const report = await load.stop();
    const state = await world.cluster.inspect('d2');
    console.log(`docker stop: stop_ms=${stopMs} exit=${state.ExitCode} ${formatReport(report)}`);
    assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
    assert.equal(state.ExitCode, 0, 'exited by itself, not killed after the timeout');
    assert.ok((report.backends.d2 ?? 0) > 0, 'd2 served before it left');
  });

  test('scale 5 → 2 at once: 0 failed requests', async () => {
    const five = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await Promise.all(five.map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, five);
    const load = steadyLoad(world.ports);
    await sleep(1000);
    await Promise.all(['c3', 'c4', 'c5'].map((s) => world.cluster.stop(s)));
    await waitConverged(world.cluster, world.ports, ['c1', 'c2']);
    await sleep(500);
    const report = await load.stop();
    console.log(`scale 5->2: ${formatReport(report)}`);
    assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
  });

  test('docker kill (SIGKILL) of a webapp: 0 failed GETs, then member-failed removes it', async () => {
    await Promise.all(['x1', 'x2', 'x3'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['x1', 'x2', 'x3']);
    const load = steadyLoad(world.ports);
    await sleep(1000);
    await world.cluster.kill('x2');
    await waitConverged(world.cluster, world.ports, ['x1', 'x3']);
    await sleep(500);
    const report = await load.stop();
    console.log(`docker kill: ${formatReport(report)}`);
    assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
    assert.match(await world.cluster.logs('ha'), /event=(member-failed|reconcile) .* runtime=applied runtime_added=0 runtime_removed=1 reload=no/);
  });
});
