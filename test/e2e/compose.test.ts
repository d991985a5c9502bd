// The README's run command, as a user runs it: `docker compose up --build`,
// scaled, checked with `serf members` and requests through HAProxy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { docker, dockerOk, requireEngine } from '../../harness/docker/docker.ts';
import { aliveBackendNames, backendsSeen, parseSerfMembers } from '../../harness/observe/cluster-state.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';

const project = `lbe2e-compose-${randomBytes(3).toString('hex')}`;
// Port 0: Docker picks free host ports, still on 127.0.0.1.
const env = { ...process.env, LB_HTTP_PORT: '0', LB_STATS_PORT: '0' };

function compose(args: string[], timeoutMs = 900_000) {
  return dockerOk(['compose', '-p', project, '-f', `${process.cwd()}/compose.yaml`, ...args], { timeoutMs, env });
}

// While the stack boots HAProxy may answer 503 before any webapp is added;
// waits count backend names only, and a batch after the wait must be all 200s.
const answering = (seen: Record<string, number>) => Object.keys(seen).filter((k) => !k.startsWith('status-')).sort();

const aliveBackends = async () => aliveBackendNames(parseSerfMembers(await compose(['exec', '-T', 'ha', 'serf', 'members', '-format', 'json']))).length;

describe('docker compose up --build', () => {
  before(requireEngine);
  after(() => docker(['compose', '-p', project, '-f', `${process.cwd()}/compose.yaml`, 'down', '-v', '--remove-orphans'], { env }));

  test('brings up ha and 3 webapps that register themselves', async () => {
    await compose(['up', '--build', '-d', '--scale', 'webapp=3']);
    await waitFor('3 alive backends in serf members', aliveBackends, (n) => n === 3);
    const port = Number((await compose(['port', 'ha', '80'])).trim().split(':').pop());
    const first = await waitFor('3 backends answering through HAProxy', () => backendsSeen({ http: port, stats: 0 }, 9), (s) => answering(s).length === 3);
    assert.deepEqual(Object.keys(await backendsSeen({ http: port, stats: 0 }, 9)).sort(), answering(first));
  });

  test('scaling down to 1 leaves one backend in serf members and in service', async () => {
    await compose(['up', '-d', '--no-build', '--scale', 'webapp=1']);
    await waitFor('1 alive backend', aliveBackends, (n) => n === 1);
    const port = Number((await compose(['port', 'ha', '80'])).trim().split(':').pop());
    const seen = await waitFor('1 backend answering', () => backendsSeen({ http: port, stats: 0 }, 4), (s) => answering(s).length === 1);
    assert.deepEqual(await backendsSeen({ http: port, stats: 0 }, 4), { [answering(seen)[0]!]: 4 });
  });
});
