// `docker restart ha` under load, with every backend alive: the restarted
// agent lists only itself until it rejoins, and reconcile must not take that
// for "every backend is gone". Its join usually wins the race with the first
// reconcile; the backends are paused across the restart (alive, but slow to
// answer, as on a loaded host) so the agent is alone for a few seconds every
// time. haproxy.cfg is sampled inside the container throughout: no sample
// may have zero servers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { docker, dockerOk } from '../../harness/docker/docker.ts';
import { formatReport, startLoad } from '../../harness/load/load-generator.ts';
import { waitConverged } from '../../harness/observe/cluster-state.ts';

const backends = ['r1', 'r2', 'r3'];

describe('ha restarted', () => {
  const world = haCluster('whole suite', backends);

  test('docker restart ha under load: haproxy.cfg never loses its servers while the backends live', async () => {
    const load = startLoad({ url: `http://127.0.0.1:${world.ports.http}/`, rate: 200, connections: 20, keepAlive: true, timeoutMs: 5000 });
    await sleep(1000);
    const counts: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        // Fails while the container is down: no sample then.
        const r = await docker(['exec', world.cluster.container('ha'), 'grep', '-c', '^ *server ', '/usr/local/etc/haproxy/haproxy.cfg']);
        if (r.code === 0 || r.stdout.trim() === '0') counts.push(Number(r.stdout.trim()));
        await sleep(50);
      }
    })();
    const paused = backends.map((b) => world.cluster.container(b));
    await dockerOk(['pause', ...paused]);
    await world.cluster.restart('ha');
    const restarted = Date.now();
    // Long enough for the first reconcile to run while the agent is alone.
    await sleep(4000);
    await dockerOk(['unpause', ...paused]);
    // Docker publishes the restarted container on new host ports: the load follows.
    const newPorts = await world.cluster.haPorts();
    const loadAfter = startLoad({ url: `http://127.0.0.1:${newPorts.http}/`, rate: 200, connections: 20, keepAlive: true, timeoutMs: 5000 });
    await waitConverged(world.cluster, newPorts, backends, 60_000);
    while (Date.now() - restarted < 15_000) await sleep(200);
    sampling = false;
    await sampler;
    const report = await load.stop();
    const reportAfter = await loadAfter.stop();
    const logs = await world.cluster.logs('ha');
    const refused = logs.split('msg="removals refused"').length - 1;
    console.log(`restart ha: ${counts.length} samples, server counts seen ${JSON.stringify([...new Set(counts)])}, removals refused ${refused}; load before: ${formatReport(report)}; after: ${formatReport(reportAfter)}`);
    assert.ok(counts.length >= 20, `only ${counts.length} samples of haproxy.cfg`);
    assert.equal(counts.filter((n) => n === 0).length, 0, `${counts.filter((n) => n === 0).length} of ${counts.length} samples had no server`);
    assert.equal(counts.at(-1), backends.length);
    assert.ok(reportAfter.ok > 0, formatReport(reportAfter));
    assert.ok(refused >= 1, 'the restarted agent was never alone: the test did not test the case');
  });
});
