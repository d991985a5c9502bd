// Several services behind one ha, routed by Host and path from the
// backends' own tags: servers and routes change through the runtime API
// (0 reloads), a new service costs one seamless reload, and bad or
// conflicting claims change nothing they should not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatReport, startLoad, type LoadRun } from '../../harness/load/load-generator.ts';
import type { LoadReport } from '../../harness/load/load-report.ts';
import type { HaPorts } from '../../harness/docker/cluster.ts';
import { haCluster } from '../../harness/docker/ha-cluster-fixture.ts';
import { get, reloadsLogged } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

/** GET with a Host header, always to 127.0.0.1. */
async function getAs(port: number, host: string, path = '/'): Promise<{ status: number; backend: string; body: string }> {
  const { status, headers, body } = await get(port, path, host);
  return { status, backend: String(headers['x-backend'] ?? ''), body };
}

/** Service (backend) → its servers UP, from the stats CSV. */
async function upByService(ports: HaPorts): Promise<Record<string, string[]>> {
  const { body } = await get(ports.stats, '/;csv');
  const [header, ...rows] = body.trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const up: Record<string, string[]> = {};
  for (const cells of rows.map((row) => row.split(','))) {
    const [service, server] = [cells[at('pxname')]!, cells[at('svname')]!];
    if (service === 'http' || service === 'stats') continue;
    up[service] ??= [];
    if (!['BACKEND', 'FRONTEND'].includes(server) && cells[at('status')]!.startsWith('UP')) up[service]!.push(server);
  }
  for (const list of Object.values(up)) list.sort();
  return up;
}

const env = (service: string, hosts?: string, path?: string): { env: Record<string, string> } => ({
  env: { LB_SERVICE: service, ...(hosts ? { LB_HOSTS: hosts } : {}), ...(path ? { LB_PATH: path } : {}) },
});

// The service routed by path takes it on any host; the demo app greets any path.
const DOCS_PATH = '/docs';

describe('several services behind one ha', () => {
  const world = haCluster('whole suite');
  const servedBy = (host: string, path = '/') => getAs(world.ports.http, host, path);
  const waitUp = (want: Record<string, string[]>) =>
    waitFor(`services UP as ${JSON.stringify(want)}`, () => upByService(world.ports), (up) => Object.entries(want).every(([s, names]) => JSON.stringify(up[s] ?? []) === JSON.stringify(names)), 60_000);
  const waitServed = (host: string, path: string, prefix: string) =>
    waitFor(`${host}${path} to be served by ${prefix}*`, () => servedBy(host, path), (r) => r.status === 200 && r.backend.startsWith(prefix), 60_000);
  const loads = (): LoadRun[] =>
    [['alpha.test', '/'], ['www.beta.test', '/'], ['any.host', DOCS_PATH]].map(([host, path]) =>
      startLoad({ url: `http://127.0.0.1:${world.ports.http}${path}`, host, rate: 60, connections: 10, keepAlive: true, timeoutMs: 5000 }));
  const stopAll = async (runs: LoadRun[]): Promise<LoadReport[]> => Promise.all(runs.map((run) => run.stop()));
  const noFailures = (reports: LoadReport[]) => {
    for (const report of reports) assert.equal(report.failed, 0, `${formatReport(report)} ${report.errors.join('; ')}`);
  };

  test('three services (two by host, one by path), each scaled up and down under load: 0 failed, 0 reloads', async () => {
    const { cluster } = world;
    await cluster.startWebapp('alpha1', env('alpha', 'alpha.test'));
    await cluster.startWebapp('beta1', env('beta', 'beta.test,*.beta.test'));
    await cluster.startWebapp('docs1', env('docs', undefined, DOCS_PATH));
    await waitUp({ alpha: ['alpha1'], beta: ['beta1'], docs: ['docs1'] });
    await waitServed('alpha.test', '/', 'alpha');
    await waitServed('www.beta.test', '/', 'beta');
    await waitServed('beta.test:8080', '/', 'beta');
    await waitServed('any.host', DOCS_PATH, 'docs');
    // A host no route names goes to the default service, webapps, which has no member.
    const unrouted = await servedBy('nobody.test', '/');
    assert.equal(unrouted.status, 503);
    assert.match(unrouted.body, /no server of service webapps is up/);
    const reloads = await reloadsLogged(cluster);
    const runs = loads();
    await Promise.all([cluster.startWebapp('alpha2', env('alpha', 'alpha.test')), cluster.startWebapp('beta2', env('beta', 'beta.test,*.beta.test')), cluster.startWebapp('docs2', env('docs', undefined, DOCS_PATH))]);
    await waitUp({ alpha: ['alpha1', 'alpha2'], beta: ['beta1', 'beta2'], docs: ['docs1', 'docs2'] });
    await Promise.all(['alpha2', 'beta2', 'docs2'].map((s) => cluster.stop(s)));
    await waitUp({ alpha: ['alpha1'], beta: ['beta1'], docs: ['docs1'] });
    await sleep(500);
    const reports = await stopAll(runs);
    console.log(`services scale 1->2->1: ${reports.map(formatReport).join(' | ')}`);
    noFailures(reports);
    assert.equal(await reloadsLogged(cluster), reloads, 'no reload while servers came and went');
  });

  test('a fourth service appears under load: exactly 1 reload, 0 failed', async () => {
    const { cluster } = world;
    const reloads = await reloadsLogged(cluster);
    const runs = loads();
    await cluster.startWebapp('gamma1', env('gamma', 'gamma.test,shared.test'));
    await waitServed('gamma.test', '/', 'gamma');
    await sleep(1500);
    const reports = await stopAll(runs);
    console.log(`fourth service: ${reports.map(formatReport).join(' | ')}`);
    noFailures(reports);
    assert.equal(await reloadsLogged(cluster), reloads + 1, 'one reload for the new backend');
  });

  test('a host claimed twice stays with its holder (logged once), then moves at run time: 0 reloads, 0 failed', async () => {
    const { cluster } = world;
    const reloads = await reloadsLogged(cluster);
    const runs = [...loads(), startLoad({ url: `http://127.0.0.1:${world.ports.http}/`, host: 'shared.test', rate: 60, connections: 10, keepAlive: true, timeoutMs: 5000 })];
    await cluster.startWebapp('beta3', env('beta', 'beta.test,*.beta.test,shared.test'));
    await waitUp({ beta: ['beta1', 'beta3'] });
    await waitFor('the conflict to be logged', () => cluster.logs('ha'), (logs) => /msg="route conflict" reason="route shared.test\/ claimed by beta, gamma: gamma keeps it \(it holds it now\)"/.test(logs), 30_000);
    assert.match((await servedBy('shared.test')).backend, /^gamma/);
    // gamma gives the host up: beta, the other claimant, takes it.
    await cluster.exec('gamma1', ['serf', 'tags', '-set', 'hosts=gamma.test']);
    await waitServed('shared.test', '/', 'beta');
    await sleep(500);
    const reports = await stopAll(runs);
    console.log(`host moved: ${reports.map(formatReport).join(' | ')}`);
    noFailures(reports);
    assert.equal(await reloadsLogged(cluster), reloads, 'the route moved without a reload');
    assert.equal((await cluster.logs('ha')).split('msg="route conflict"').length - 1, 1, 'the conflict was logged once');
  });

  test('hostile service, hosts and path tags are refused one line each, and change nothing', async () => {
    const { cluster } = world;
    const reloads = await reloadsLogged(cluster);
    const map = () => cluster.exec('ha', ['cat', '/usr/local/etc/haproxy/routes.map']);
    const before = await map();
    const hostile = ['service=stats', 'service=Bad#name', 'hosts=bad host.test', 'hosts=ex#ample.test', 'hosts=ünï.test', `hosts=${'a'.repeat(70)}.test`, 'path=/a b', 'path=docs', 'path=/x;del'];
    for (const tag of hostile) {
      const seen = (await cluster.logs('ha')).split('msg="member rejected"').length;
      await cluster.exec('alpha1', ['serf', 'tags', '-set', tag]);
      const logs = await waitFor(`${tag} to be refused`, () => cluster.logs('ha'), (l) => l.split('msg="member rejected"').length > seen, 30_000);
      const line = logs.split('\n').filter((l) => l.includes('msg="member rejected"')).at(-1)!;
      assert.match(line, /member \\"alpha1\\": (service|hosts|path) tag must/, line);
      assert.equal(await map(), before, `${tag}: the routes map is unchanged`);
      assert.equal((await servedBy('alpha.test')).backend, 'alpha1', `${tag}: alpha.test still goes to alpha1`);
      // Back to its own tags before the next one, so each refusal is that tag's.
      const key = tag.split('=')[0]!;
      await cluster.exec('alpha1', key === 'path' ? ['serf', 'tags', '-delete', 'path'] : ['serf', 'tags', '-set', key === 'service' ? 'service=alpha' : 'hosts=alpha.test']);
    }
    assert.equal(await reloadsLogged(cluster), reloads, 'no reload for a refused tag');
  });

  test('a service whose last member left keeps its backend, which answers 503 with a clear body, without a reload', async () => {
    const { cluster } = world;
    const reloads = await reloadsLogged(cluster);
    await cluster.stop('docs1');
    await waitUp({ docs: [] });
    const answer = await waitFor(`${DOCS_PATH} to answer 503`, () => servedBy('any.host', DOCS_PATH), (r) => r.status === 503, 30_000);
    assert.match(answer.body, /no server of service docs is up/);
    assert.equal(await reloadsLogged(cluster), reloads);
  });
});

describe('LB_DEFAULT_SERVICE=none', () => {
  const world = haCluster('whole suite', [], { env: { LB_DEFAULT_SERVICE: 'none' } });

  test('a request no route takes gets a 404 from ha with a clear body; a routed one its service', async () => {
    await world.cluster.startWebapp('alpha1', env('alpha', 'alpha.test'));
    await waitFor('alpha.test to be served', () => getAs(world.ports.http, 'alpha.test'), (r) => r.status === 200 && r.backend === 'alpha1', 60_000);
    const unrouted = await getAs(world.ports.http, 'nobody.test', '/anything');
    assert.equal(unrouted.status, 404);
    assert.equal(unrouted.body, '404 Not Found: no service here for this host and path');
  });
});
