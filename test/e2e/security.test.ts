// Closed to strangers: an agent without the gossip key never gets in, one
// with the key but hostile fields never corrupts anything, the operator's
// tools still work, and nothing admin-like listens on the network.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, type HaPorts } from '../../harness/docker/cluster.ts';
import { docker, dockerOk } from '../../harness/docker/docker.ts';
import { WEBAPP_IMAGE } from '../../harness/docker/images.ts';
import { backendsSeen, configServers, get, haproxyWorkers, nodeFiles, serfMembers } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const legit = ['g1', 'g2'];
const token = 'operator-token-123';

describe('closed to strangers', () => {
  let cluster: Cluster;
  let ports: HaPorts;
  let key: string;

  before(async () => {
    cluster = await Cluster.create();
    key = (await dockerOk(['run', '--rm', '--entrypoint', 'serf', WEBAPP_IMAGE, 'keygen'])).trim();
    const env = { SERF_ENCRYPT_KEY: key, SERF_RPC_AUTH: token };
    ports = await cluster.startHa({ env: { ...env, STATS_AUTH: 'admin:s3cret' } });
    await Promise.all(legit.map((s) => cluster.startWebapp(s, { env })));
    await waitFor('both webapps in haproxy.cfg', () => configServers(cluster), (s) => Object.keys(s).length === 2);
  });
  after(() => cluster?.cleanup());

  test('an agent without the gossip key never joins nor reaches haproxy.cfg', async () => {
    await cluster.startAgent('rogue', ['-node', 'rogue', '-tag', 'role=backend', '-tag', 'port=3000']);
    await waitFor('the rogue to fail its join', () => cluster.logs('rogue'), (l) => /Error|Failed|failed/.test(l), 30_000);
    await sleep(3000);
    assert.deepEqual(Object.keys(await configServers(cluster)).sort(), legit);
    assert.deepEqual(await nodeFiles(cluster), legit);
    assert.ok(!(await serfMembers(cluster)).some((m) => m.name === 'rogue'));
  });

  test('agents with the key but hostile names or tags never corrupt haproxy.cfg or /nodes', async () => {
    const hostile: [string, string[]][] = [
      ['h1', ['-node', 'evil\nserver x 127.0.0.1:80', '-tag', 'role=backend']],
      ['h2', ['-node', '../../etc/cron.d/evil', '-tag', 'role=backend']],
      ['h3', ['-node', 'h3', '-tag', 'role=backend', '-tag', 'port=80 backup']],
      ['h4', ['-node', 'h4', '-tag', 'role=backend', '-tag', 'weight=100000']],
    ];
    for (const [short, args] of hostile) await cluster.startAgent(short, ['-encrypt', key, ...args]);
    await waitFor('the four hostile members to be rejected', () => cluster.logs('ha'), (l) => (l.match(/msg="member rejected"/g) ?? []).length >= 4);
    assert.deepEqual(Object.keys(await configServers(cluster)).sort(), legit);
    assert.deepEqual(await nodeFiles(cluster), legit);
    assert.equal((await docker(['exec', cluster.container('ha'), 'ls', '/etc/cron.d/evil.json'])).code === 0, false);
    assert.deepEqual(Object.keys(await backendsSeen(ports, 6)).sort(), legit);
  });

  test('serf members works for the operator with the RPC token, and not without it', async () => {
    assert.ok((await serfMembers(cluster)).some((m) => m.name === 'g1'));
    const anonymous = await docker(['exec', '-e', 'SERF_RPC_AUTH=', cluster.container('ha'), 'serf', 'members']);
    assert.notEqual(anonymous.code, 0);
  });

  test('the stats page asks for STATS_AUTH and has no admin actions', async () => {
    assert.equal((await get(ports.stats, '/')).status, 401);
    const auth = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
    const page = await statsRequest(ports.stats, 'GET', '/;csv', auth);
    assert.equal(page.status, 200);
    assert.match(page.body, /webapps,g1,/);
    // HAProxy answers an admin action with a redirect whose `st=` says how it went.
    const action = await statsRequest(ports.stats, 'POST', '/', auth, 's=g1&action=maint&b=%233');
    assert.doesNotMatch(action.location, /st=(DONE|PART)/, 'an admin action was applied');
    await sleep(500);
    assert.match((await statsRequest(ports.stats, 'GET', '/;csv', auth)).body, /webapps,g1,(?:[^,\n]*,){15}UP/);
  });

  test('only HTTP, HTTPS, stats and gossip listen beyond loopback; the admin socket is a unix socket', async () => {
    const listening = await cluster.exec('ha', ['sh', '-c', "cat /proc/net/tcp /proc/net/tcp6 | awk '$4 == \"0A\" {print $2}'"]);
    const sockets = new Set(listening.split('\n').filter(Boolean).map((a) => {
      const [host, port] = a.split(':');
      // /proc/net/tcp writes addresses little-endian: 127.x.y.z ends in 7F.
      const loopback = /^[0-9A-F]{6}7F$|^0{24}01000000$/.test(host!);
      return `${loopback ? 'lo' : 'any'}:${parseInt(port!, 16)}`;
    }));
    assert.deepEqual([...sockets].filter((s) => s.startsWith('any')).sort(), ['any:1936', 'any:443', 'any:7946', 'any:80']);
    assert.ok(sockets.has('lo:7373'), 'Serf RPC on loopback');
    assert.match(await cluster.exec('ha', ['ls', '-l', '/run/haproxy/admin.sock']), /^s/);
  });

  test('HAProxy workers run as the haproxy user, not root', async () => {
    const workers = await haproxyWorkers(cluster);
    assert.ok(workers.length >= 1);
    const haproxyUid = Number((await cluster.exec('ha', ['id', '-u', 'haproxy'])).trim());
    assert.ok(haproxyUid > 0);
    for (const worker of workers) assert.equal(worker.uid, haproxyUid);
  });
});

/** A request to the stats page with basic auth; redirects are returned, not followed. */
async function statsRequest(port: number, method: 'GET' | 'POST', path: string, auth: string, body?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body,
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
}
