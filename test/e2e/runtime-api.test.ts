// Membership through HAProxy's runtime API: backends come and go under load
// with no reload at all, and when a reload does happen (the template
// changed) the servers keep the state the runtime gave them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatReport, startLoad } from '../../harness/load/load-generator.ts';
import type { Cluster } from '../../harness/docker/cluster.ts';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { haproxyCommand, reloadsLogged, waitConverged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

/** srv_admin_state of each server of webapps, from `show servers state`. */
async function adminStates(cluster: Pick<Cluster, 'exec'>): Promise<Record<string, number>> {
  const lines = (await haproxyCommand(cluster, 'show servers state webapps')).split('\n').filter((l) => /^\d+ webapps /.test(l));
  return Object.fromEntries(lines.map((l) => l.split(' ')).map((f) => [f[3]!, Number(f[6])]));
}

describe('membership through the runtime API', () => {
  const world = haCluster('whole suite');

  test('2 → 6 → 2 backends under load: 0 failed requests and not one reload', async () => {
    await Promise.all(['m1', 'm2'].map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['m1', 'm2']);
    const loadsBefore = await reloadsLogged(world.cluster);
    const passes = async () => (await world.cluster.logs('ha')).split('\n').filter((l) => l.includes('msg=done') && !l.includes('event=render'));
    // Passes before HAProxy first started (the engine knows the pool first) install the file it starts on.
    const passesBefore = (await passes()).length;
    const load = startLoad({ url: `http://127.0.0.1:${world.ports.http}/`, rate: 300, connections: 30, keepAlive: true, timeoutMs: 5000 });
    const added = ['m3', 'm4', 'm5', 'm6'];
    await Promise.all(added.map((s) => world.cluster.startWebapp(s)));
    await waitConverged(world.cluster, world.ports, ['m1', 'm2', ...added]);
    await Promise.all(added.map((s) => world.cluster.stop(s)));
    await waitConverged(world.cluster, world.ports, ['m1', 'm2']);
    await sleep(500);
    const report = await load.stop();
    console.log(`runtime 2->6->2: ${formatReport(report)}`);
    assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
    assert.equal(await reloadsLogged(world.cluster), loadsBefore, 'HAProxy loaded no new config');
    const runs = (await passes()).slice(passesBefore);
    assert.ok(runs.length >= 2, `${runs.length} passes for 4 joins and 4 leaves`);
    assert.deepEqual(runs.filter((l) => !l.includes(' runtime=applied ')), [], 'every pass went through the runtime API');
  });

  test('a template change reloads, and a server drained at run time is still draining after it', async () => {
    await haproxyCommand(world.cluster, 'set server webapps/m2 state drain');
    assert.equal((await adminStates(world.cluster)).m2, 8);
    const loadsBefore = await reloadsLogged(world.cluster);
    // What an operator editing the template does; the next event applies it.
    await world.cluster.exec('ha', ['sh', '-c', 'echo "# tuned by hand" >> "$HAPROXY_TEMPLATE"']);
    await world.cluster.exec('ha', ['serf', 'event', '-coalesce=false', 'backend-ready', 'm1']);
    await waitFor('HAProxy to load the new config', () => reloadsLogged(world.cluster), (n) => n > loadsBefore, 30_000);
    assert.match(await world.cluster.logs('ha'), /msg="runtime API not used, reloading instead" reason="the config changed outside its server lines"/);
    const states = await waitFor('the new worker to answer', () => adminStates(world.cluster), (s) => 'm1' in s && 'm2' in s, 30_000);
    assert.equal(states.m2, 8, `m2 kept its drain state through the reload: ${JSON.stringify(states)}`);
    assert.equal(states.m1, 0);
  });
});
