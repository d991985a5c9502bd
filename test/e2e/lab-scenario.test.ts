// The lab's task 6, end to end on real containers: HAProxy alone, seven
// backends join, three stop. After each step every view of the cluster must
// agree: /nodes, haproxy.cfg, the stats page, `serf members`, and the
// backends that actually answer through 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { backendsSeen, configServers, nodeFiles, statsStatus, reloadsLogged, waitConverged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const all = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
const stopped = ['s2', 's4', 's6'];
const remaining = all.filter((s) => !stopped.includes(s));

/**
 * Round robin over sequential requests: every backend answers, none more
 * than twice more than another (servers added and deleted at run time take
 * their turn from where they enter HAProxy's weighted round robin, so one
 * pass over them may be one off either way).
 */
function assertRoundRobin(seen: Record<string, number>, expected: string[]): void {
  assert.deepEqual(Object.keys(seen).sort(), expected);
  const counts = Object.values(seen);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 2, `uneven spread ${JSON.stringify(seen)}`);
}

describe('lab task 6: 7 backends start, 3 stop', () => {
  const world = haCluster('whole suite');

  test('HAProxy alone serves with no server line', async () => {
    await waitFor('the stats page', () => statsStatus(world.ports), () => true);
    assert.deepEqual(await configServers(world.cluster), {});
    assert.deepEqual(await nodeFiles(world.cluster), []);
  });

  test('s1..s7 join: every view lists all seven and each one serves', async () => {
    await Promise.all(all.map((s) => world.cluster.startWebapp(s)));
    const seen = await waitConverged(world.cluster, world.ports, all);
    assert.deepEqual(seen, { nodes: all, servers: all, up: all, serf: all });
    assertRoundRobin(await backendsSeen(world.ports, 7 * 6), all);
  });

  test('s2, s4 and s6 stop: they leave every view, the other four still serve', async () => {
    await Promise.all(stopped.map((s) => world.cluster.stop(s)));
    const seen = await waitConverged(world.cluster, world.ports, remaining);
    assert.deepEqual(seen, { nodes: remaining, servers: remaining, up: remaining, serf: remaining });
    assertRoundRobin(await backendsSeen(world.ports, 4 * 6), remaining);
  });

  test('the handlers log one key=value line per run to docker logs', async () => {
    const logs = await world.cluster.logs('ha');
    const runs = logs.split('\n').filter((l) => l.includes('msg=done'));
    // Every change is applied by the engine's passes, woken by the agent's
    // log stream the moment it learns of a change, or by the member events'
    // handlers that follow, which then usually find the work done.
    assert.ok(runs.some((l) => l.includes('event=reconcile') && / runtime=applied runtime_added=[1-9]/.test(l)), 'a pass that added servers at run time');
    assert.ok(runs.every((l) => / event=(reconcile|render) /.test(l)), 'only the engine and the render before HAProxy run passes');
    // Seven joins and three leaves, all through the runtime API: HAProxy loaded its config once, at start.
    assert.deepEqual(runs.filter((l) => l.includes('reload=yes')), [], 'no pass reloaded');
    assert.equal(await reloadsLogged(world.cluster), 1, 'HAProxy loaded its config once');
    assert.ok(runs.some((l) => / runtime_removed=[1-9]/.test(l)), 'servers removed at run time');
  });
});
