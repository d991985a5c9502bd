// Membership beyond the happy path: a crashed backend, any start order, and
// an HAProxy container restarted under its backends.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../harness/docker/cluster.ts';
import { backendsSeen, serfMembers, waitConverged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

describe('membership', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.create();
  });
  afterEach(() => cluster?.cleanup());

  test('a backend killed with SIGKILL is removed as member-failed', async () => {
    const ports = await cluster.startHa();
    await Promise.all(['k1', 'k2', 'k3'].map((s) => cluster.startWebapp(s)));
    await waitConverged(cluster, ports, ['k1', 'k2', 'k3']);
    await cluster.kill('k2');
    const seen = await waitConverged(cluster, ports, ['k1', 'k3']);
    assert.deepEqual(seen.servers, ['k1', 'k3']);
    const k2 = (await serfMembers(cluster)).find((m) => m.name === 'k2');
    assert.equal(k2?.status, 'failed');
    const logs = await cluster.logs('ha');
    assert.match(logs, /event=(member-failed|reconcile) .* runtime=applied runtime_added=0 runtime_removed=1 reload=no/);
    assert.deepEqual(Object.keys(await backendsSeen(ports, 10)).sort(), ['k1', 'k3']);
  });

  test('webapps started before ha are all registered once it comes up', async () => {
    const early = ['e1', 'e2', 'e3'];
    await Promise.all(early.map((s) => cluster.startWebapp(s)));
    // Let their agents start and fail to find ha a few times first.
    await waitFor('the webapps to be running', () => cluster.logs('e1'), (l) => l.includes('error joining'), 30_000);
    const ports = await cluster.startHa();
    const seen = await waitConverged(cluster, ports, early);
    assert.deepEqual(seen.servers, early);
    assert.deepEqual(Object.keys(await backendsSeen(ports, 9)).sort(), early);
  });

  test('after `docker restart ha` every live backend is back in haproxy.cfg and serving', async () => {
    const ports = await cluster.startHa();
    const live = ['r1', 'r2', 'r3'];
    await Promise.all(live.map((s) => cluster.startWebapp(s)));
    await waitConverged(cluster, ports, live);
    await cluster.restart('ha');
    const after = await cluster.haPorts();
    const seen = await waitConverged(cluster, after, live);
    assert.deepEqual(seen.servers, live);
    assert.deepEqual(Object.keys(await backendsSeen(after, 9)).sort(), live);
  });
});
