// GET /metrics on the stats port: HAProxy's built-in Prometheus exporter,
// behind the same STATS_AUTH as the stats page, with the series the README
// lists; the handlers' own counts are one `msg=done` log line per run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, type HaPorts } from '../../harness/docker/cluster.ts';
import { configServers } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const credentials = 'admin:s3cret';

async function scrape(port: number, auth?: string): Promise<{ status: number; type: string; challenge: string; body: string }> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {};
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type') ?? '', challenge: res.headers.get('www-authenticate') ?? '', body: await res.text() };
}

/** The samples of one series: label set (as written) → value. */
function samples(body: string, series: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const match of body.matchAll(new RegExp(`^${series}\\{([^}]*)\\} (\\S+)$`, 'gm'))) found[match[1]!] = Number(match[2]);
  return found;
}

describe('GET /metrics', () => {
  let cluster: Cluster;
  let ports: HaPorts;
  let open: HaPorts;

  before(async () => {
    cluster = await Cluster.create();
    ports = await cluster.startHa({ env: { STATS_AUTH: credentials } });
    open = await cluster.startHa({}, 'ha-open');
    await Promise.all(['m1', 'm2'].map((s) => cluster.startWebapp(s)));
    await waitFor('both webapps in haproxy.cfg', () => configServers(cluster), (s) => Object.keys(s).length === 2);
    // The engine installs the file before HAProxy starts on it: wait for both to listen.
    const answers = (port: number) => scrape(port).then(() => true, () => false);
    await waitFor('both HAProxys to answer', () => Promise.all([answers(ports.stats), answers(open.stats)]), (ok) => ok.every(Boolean), 60_000);
  });
  after(() => cluster?.cleanup());

  test('asks for STATS_AUTH: 401 with a Basic challenge without or with wrong credentials', async () => {
    for (const auth of [undefined, 'admin:wrong', `${credentials}x`, 'nobody:s3cret']) {
      const res = await scrape(ports.stats, auth);
      assert.equal(res.status, 401, String(auth));
      assert.match(res.challenge, /^Basic realm=/);
      assert.doesNotMatch(res.body, /haproxy_/);
    }
  });

  test('with STATS_AUTH: Prometheus text with the series the README lists, counted right', async () => {
    const res = await waitFor('2 active servers in the scrape', () => scrape(ports.stats, credentials),
      (r) => samples(r.body, 'haproxy_backend_active_servers')['proxy="webapps"'] === 2);
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/plain; version=0\.0\.4/);
    const webapps = 'proxy="webapps"';
    for (const series of ['haproxy_backend_retry_warnings_total', 'haproxy_backend_redispatch_warnings_total',
      'haproxy_backend_connection_errors_total', 'haproxy_backend_current_queue', 'haproxy_backend_max_queue']) {
      assert.equal(samples(res.body, series)[webapps], 0, series);
    }
    const up = samples(res.body, 'haproxy_server_status');
    assert.deepEqual(Object.keys(up).filter((labels) => labels.endsWith('state="UP"') && up[labels] === 1).sort(),
      ['m1', 'm2'].map((s) => `proxy="webapps",server="${s}",state="UP"`));
  });

  test('servers up per backend follows the cluster: one webapp stopped, 1 active server', async () => {
    await cluster.stop('m2');
    await waitFor('1 active server in the scrape', () => scrape(ports.stats, credentials),
      (r) => samples(r.body, 'haproxy_backend_active_servers')['proxy="webapps"'] === 1);
  });

  test('without STATS_AUTH it is open, like the stats page', async () => {
    const res = await scrape(open.stats);
    assert.equal(res.status, 200);
    assert.match(res.body, /^haproxy_backend_active_servers\{proxy="webapps"\} \d+$/m);
  });

  test('the handlers\' own counts: one msg=done line per run with applied, rejected and reload', async () => {
    const runs = (await cluster.logs('ha')).split('\n').filter((line) => /\bmsg=done\b/.test(line));
    assert.ok(runs.length >= 2, `${runs.length} msg=done lines`);
    for (const line of runs) assert.match(line, /\bcomponent=\S+ .*\bapplied=\d+ rejected=\d+ .*\breload=\S+/, line);
  });
});
