// Coming back: an ha recreated on a new address, a backend back under the
// same name at a new address, a backend cut off from the network, a flapping
// one, and a broken template that heals with the next good event.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { dockerOk } from '../../harness/docker/docker.ts';
import { backendsSeen, configServers, liveConfig, nodeFiles, reloadsLogged, waitConverged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

describe('recovery', () => {
  const world = haCluster('each test');

  test('ha removed and recreated with a new address finds every live backend again', async () => {
    const live = ['a1', 'a2', 'a3'];
    await Promise.all(live.map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, live);
    const oldIp = await world.cluster.ip('ha');
    await dockerOk(['rm', '-f', world.cluster.container('ha')]);
    // Takes the address the old ha had, so the new one cannot get it back.
    await world.cluster.startIdle('squatter');
    const started = Date.now();
    const newPorts = await world.cluster.startHa({}, 'ha2');
    assert.notEqual(await world.cluster.ip('ha2'), oldIp);
    const seen = await waitConverged(world.cluster, newPorts, live, 30_000, 'ha2');
    console.log(`ha recreated: all ${live.length} backends back in ${Date.now() - started} ms`);
    assert.deepEqual(seen.servers, live);
    assert.deepEqual(Object.keys(await backendsSeen(newPorts, 6)).sort(), live);
  });

  test('a backend back under the same name at a new address is listed once, at its new address', async () => {
    await Promise.all(['n1', 'n2', 'keep'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['keep', 'n1', 'n2']);
    const before = await configServers(world.cluster);
    await world.cluster.stop('n1'); // leaves
    await world.cluster.kill('n2'); // fails
    await waitConverged(world.cluster, world.ports, ['keep']);
    // Idle containers take the freed addresses, which Docker would hand out
    // again; then new containers with the same host names, so the same Serf
    // node names, at new addresses.
    await world.cluster.startIdle('squat1');
    await world.cluster.startIdle('squat2');
    await world.cluster.startWebapp('n1-again', { args: ['--hostname', 'n1'] });
    await world.cluster.startWebapp('n2-again', { args: ['--hostname', 'n2'] });
    const want = {
      keep: before.keep!,
      n1: `${await world.cluster.ip('n1-again')}:3000`,
      n2: `${await world.cluster.ip('n2-again')}:3000`,
    };
    assert.notEqual(want.n1, before.n1);
    assert.notEqual(want.n2, before.n2);
    // A failed member's name stays taken in memberlist until it forgets the
    // dead node (about 30 s), so n2's return takes that long; n1 left cleanly.
    const after = await waitFor(`n1 and n2 at their new addresses`, () => configServers(world.cluster), (s) => JSON.stringify(s) === JSON.stringify(want), 120_000);
    assert.deepEqual(after, want);
    assert.equal((await liveConfig(world.cluster)).match(/^\s*server n[12] /gm)?.length, 2);
    const seen = await waitConverged(world.cluster, world.ports, ['keep', 'n1', 'n2']);
    assert.deepEqual(seen.nodes, ['keep', 'n1', 'n2']);
  });

  test('a backend cut off for 30 s is taken out, and comes back by itself once reconnected', async () => {
    await Promise.all(['p1', 'p2'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['p1', 'p2']);
    await dockerOk(['network', 'disconnect', world.cluster.network, world.cluster.container('p2')]);
    await waitFor('p2 out of haproxy.cfg', () => configServers(world.cluster), (s) => !('p2' in s), 30_000);
    await sleep(30_000 - 10_000);
    await dockerOk(['network', 'connect', '--alias', 'webapp', world.cluster.network, world.cluster.container('p2')]);
    const seen = await waitConverged(world.cluster, world.ports, ['p1', 'p2'], 60_000);
    assert.deepEqual(seen.servers, ['p1', 'p2']);
    assert.deepEqual(Object.keys(await backendsSeen(world.ports, 4)).sort(), ['p1', 'p2']);
  });

  test('a flapping backend does not cause a reload storm', async () => {
    await Promise.all(['f1', 'f2'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['f1', 'f2']);
    const reloadsBefore = await reloadsLogged(world.cluster);
    for (let i = 0; i < 10; i++) {
      await dockerOk(['network', 'disconnect', world.cluster.network, world.cluster.container('f2')]);
      await sleep(1000);
      await dockerOk(['network', 'connect', '--alias', 'webapp', world.cluster.network, world.cluster.container('f2')]);
      await sleep(1000);
    }
    await waitConverged(world.cluster, world.ports, ['f1', 'f2'], 60_000);
    const reloads = (await reloadsLogged(world.cluster)) - reloadsBefore;
    console.log(`flapping: 10 disconnects in 20 s caused ${reloads} reloads`);
    // Membership goes through the runtime API: a flap never reloads.
    assert.equal(reloads, 0, `${reloads} reloads for 10 flaps`);
  });

  test('a template that fails haproxy -c keeps the last good config, says why in docker logs, and the next good event recovers', async () => {
    await world.cluster.startWebapp('t1');
    await waitConverged(world.cluster, world.ports, ['t1']);
    const good = await liveConfig(world.cluster);
    const template = '/usr/local/etc/haproxy/haproxy.cfg.hbs';
    await world.cluster.exec('ha', ['sh', '-c', `cp ${template} /tmp/good.hbs && sed -i 's/^frontend http$/frontend http\\n    not-a-keyword/' ${template}`]);
    await world.cluster.startWebapp('t2');
    // The store records t2 whatever the template, then the check refuses the candidate.
    await waitFor('t2 in /nodes', () => nodeFiles(world.cluster), (nodes) => nodes.includes('t2'));
    await waitFor('the rejected candidate in docker logs', () => world.cluster.logs('ha'), (l) => /level=error .*last good config kept/.test(l));
    assert.equal(await liveConfig(world.cluster), good);
    assert.deepEqual(Object.keys(await backendsSeen(world.ports, 3)), ['t1']);
    await world.cluster.exec('ha', ['cp', '/tmp/good.hbs', template]);
    await world.cluster.startWebapp('t3');
    const seen = await waitConverged(world.cluster, world.ports, ['t1', 't2', 't3']);
    assert.deepEqual(seen.servers, ['t1', 't2', 't3']);
  });
});
