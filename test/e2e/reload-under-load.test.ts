// Reloads under load: HAProxy 3.0's master-worker reload hands the listening
// sockets to the new worker, and `option idle-close-on-response` keeps the old
// worker from closing keep-alive connections under a client. Together: not a
// single failed request, and old workers that never pile up.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLoad, formatReport } from '../../harness/load/load-generator.ts';
import { Cluster, DOCKER_CPU_SHARES } from '../../harness/docker/cluster.ts';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { haproxyWorkers, processes, reloadsLogged, waitConverged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const backends = ['w1', 'w2', 'w3'];

/** SIGUSR2 to HAProxy's master through s6, `count` times, `intervalMs` apart, in one exec. */
async function reloads(cluster: Cluster, count: number, intervalMs: number): Promise<void> {
  await cluster.exec('ha', ['sh', '-c', `i=0; while [ $i -lt ${count} ]; do s6-svc -2 /run/service/haproxy; sleep ${intervalMs / 1000}; i=$((i+1)); done`]);
}

const haproxyRssKb = async (cluster: Cluster) => (await processes(cluster, 'ha', 'haproxy')).reduce((sum, p) => sum + p.rssKb, 0);

// Docker's default CPU weight for ha here, not compose.yaml's: at 16384, ha
// completed 74-77 of the 80 reloads instead of 42-46, and on two cores at
// 1500 requests/s each extra reload's CPU is throughput the backends lose;
// the open-loop backlog then passed the 5 s timeout (1,307 requests in one
// run, p50 3-3.8 s, against 0.4 s at 1024). The storm is this test's own
// artifice (membership needs no reload); what it proves is that a reload
// drops nothing.
const stormHa = { cpuShares: DOCKER_CPU_SHARES };

describe('reloads under load', () => {
  const world = haCluster('whole suite', backends, stormHa);

  for (const keepAlive of [true, false]) {
    test(`80 reloads in 10 s under ${keepAlive ? '50 keep-alive connections' : 'a new connection per request'}: 0 failed requests`, async () => {
      const load = startLoad({ url: `http://127.0.0.1:${world.ports.http}/`, rate: 1500, connections: 50, keepAlive, timeoutMs: 5000 });
      await sleep(500);
      const loggedBefore = await reloadsLogged(world.cluster);
      await reloads(world.cluster, 80, 125);
      await sleep(1000);
      const report = await load.stop();
      const done = (await reloadsLogged(world.cluster)) - loggedBefore;
      console.log(`reloads keepAlive=${keepAlive}: reloads=${done} ${formatReport(report)}`);
      // Two SIGUSR2 that reach the master while it is still re-executing are
      // one pending signal to the kernel, so a loaded machine sees fewer
      // (28 to 46 of the 80): 20 is still two reloads a second under load.
      assert.ok(done >= 20, `only ${done} reloads happened`);
      assert.ok(report.ok > 10_000, formatReport(report));
      assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
    });
  }

  test('the same storm without `option idle-close-on-response` fails keep-alive requests: why the option is there', async () => {
    const variant = await Cluster.create();
    const dir = await mkdtemp(join(tmpdir(), 'lb-template-'));
    try {
      const template = await readFile('templates/haproxy.cfg.hbs', 'utf8');
      await writeFile(join(dir, 'haproxy.cfg.hbs'), template.replace(/^\s*option idle-close-on-response\n/m, ''));
      const variantPorts = await variant.startHa({ ...stormHa, args: ['-v', `${dir}:/variant:ro`], env: { HAPROXY_TEMPLATE: '/variant/haproxy.cfg.hbs' } });
      await Promise.all(backends.map((s) => variant.startWebapp(s)));
      await waitConverged(variant, variantPorts, backends);
      assert.doesNotMatch(await variant.exec('ha', ['cat', '/usr/local/etc/haproxy/haproxy.cfg']), /idle-close-on-response/);
      const load = startLoad({ url: `http://127.0.0.1:${variantPorts.http}/`, rate: 1500, connections: 50, keepAlive: true, timeoutMs: 5000 });
      await sleep(500);
      await reloads(variant, 80, 125);
      await sleep(1000);
      const report = await load.stop();
      console.log(`reloads without idle-close-on-response: ${formatReport(report)}`);
      assert.ok(report.failures.reset > 0, `expected resets without the option: ${formatReport(report)}`);
    } finally {
      await variant.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('100 reloads under load leave at most 2 workers and HAProxy memory back at its level', async () => {
    const load = startLoad({ url: `http://127.0.0.1:${world.ports.http}/`, rate: 500, connections: 50, keepAlive: true, timeoutMs: 5000 });
    await sleep(1000);
    const rssBefore = await haproxyRssKb(world.cluster);
    await reloads(world.cluster, 100, 50);
    await sleep(1000);
    const report = await load.stop();
    const workers = await waitFor('old workers to exit', () => haproxyWorkers(world.cluster), (w) => w.length <= 2, 30_000);
    const rssAfter = await haproxyRssKb(world.cluster);
    console.log(`100 reloads: ${formatReport(report)} workers=${workers.length} rss_before_kb=${rssBefore} rss_after_kb=${rssAfter}`);
    assert.ok(workers.length <= 2, `${workers.length} workers left`);
    assert.equal(report.failed, 0, formatReport(report));
    // Same process count as before, so the same memory give or take allocator slack.
    assert.ok(rssAfter <= rssBefore * 1.5, `HAProxy RSS ${rssBefore} kB before, ${rssAfter} kB after`);
  });
});
