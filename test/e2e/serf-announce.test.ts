// The kit's serf-announce (docker/agent/serf-announce.c), the very binary the
// agent image ships, taken out of it and run against a stand-in for the
// agent's RPC: what it asks in which order, and how it rides out an agent that
// is not up yet, a join nobody answers, an agent gone silent, a wrong token
// and a bad address.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dockerOk } from '../../harness/docker/docker.ts';
import { AGENT_IMAGE, ensureImages } from '../../harness/docker/images.ts';
import { startFakeSerfRpc, type FakeSerfRpc } from '../../harness/serf/fake-serf-rpc.ts';

const TOKEN = 'announce-token-1';

interface Run {
  code: number | null;
  stderr: string;
}

describe("the kit's serf-announce against an agent's RPC", () => {
  const dir = mkdtempSync(join(tmpdir(), 'serf-announce-'));
  const binary = join(dir, 'serf-announce');
  const agents: FakeSerfRpc[] = [];

  before(async () => {
    await ensureImages();
    const container = (await dockerOk(['create', AGENT_IMAGE])).trim();
    try {
      await dockerOk(['cp', `${container}:/lb/libexec/serf-announce`, binary]);
    } finally {
      await dockerOk(['rm', container]);
    }
  });
  after(() => {
    for (const agent of agents) agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fakeAgent(port = 0): Promise<FakeSerfRpc> {
    const agent = await startFakeSerfRpc(TOKEN, [], port);
    agents.push(agent);
    return agent;
  }

  function announce(address: string, env: Record<string, string> = {}, args = ['backend', 'w1', 'ha', 'ha-2']): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(binary, args, { env: { SERF_RPC_ADDR: address, SERF_RPC_AUTH: TOKEN, ...env }, timeout: 60_000 }, (_error, _stdout, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
  }

  const lines = (text: string) => text.split('\n').filter(Boolean);

  test('sets the role, joins the hosts named, then says backend-ready, over one connection', async () => {
    const agent = await fakeAgent();
    const run = await announce(agent.address);
    assert.deepEqual(run, { code: 0, stderr: '' });
    assert.equal(agent.connections, 1);
    assert.deepEqual(agent.commands, ['handshake', 'auth', 'tags', 'join', 'event']);
    const body = (command: string) => agent.bodies.find((b) => b.command === command)?.body;
    assert.deepEqual(body('tags'), { Tags: { role: 'backend' }, DeleteTags: [] });
    assert.deepEqual(body('join'), { Existing: ['ha', 'ha-2'], Replay: false });
    assert.deepEqual(body('event'), { Name: 'backend-ready', Payload: Buffer.from('w1'), Coalesce: false });
  });

  test('waits for an agent that does not listen yet', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const running = announce(`127.0.0.1:${port}`);
    await sleep(300);
    const agent = await fakeAgent(port);
    assert.deepEqual(await running, { code: 0, stderr: '' });
    assert.deepEqual(agent.commands, ['handshake', 'auth', 'tags', 'join', 'event']);
  });

  test('tries the join again every SERF_RETRY_INTERVAL until a host answers, and says ready once', async () => {
    const agent = await fakeAgent();
    agent.joinRefusals = 2;
    const run = await announce(agent.address, { SERF_RETRY_INTERVAL: '50ms' });
    assert.deepEqual(run, { code: 0, stderr: '' });
    assert.deepEqual(agent.commands, ['handshake', 'auth', 'tags', 'join', 'join', 'join', 'event']);
  });

  test('an agent silent in the middle of a request: a new connection, and the requests again', async () => {
    const agent = await fakeAgent();
    agent.silentOn = 'join';
    const run = await announce(agent.address);
    assert.deepEqual(run, { code: 0, stderr: '' });
    assert.equal(agent.connections, 2);
    assert.deepEqual(agent.commands, ['handshake', 'auth', 'tags', 'join', 'handshake', 'auth', 'tags', 'join', 'event']);
  });

  test('a wrong token: one line, exit 1, nothing changed on the agent', async () => {
    const agent = await fakeAgent();
    const run = await announce(agent.address, { SERF_RPC_AUTH: 'not-the-token' });
    assert.equal(run.code, 1);
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    assert.match(run.stderr, /^announce: the Serf agent refused the RPC token \(SERF_RPC_AUTH or serf_rpc_auth\): Invalid authentication token$/m);
    assert.deepEqual(agent.commands, ['handshake', 'auth']);
  });

  for (const address of ['localhost:7373', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', '10.0.0:7373']) {
    test(`SERF_RPC_ADDR=${address}: one line saying what was expected, exit 2`, async () => {
      const run = await announce(address);
      assert.equal(run.code, 2);
      assert.deepEqual(lines(run.stderr), [`announce: expected SERF_RPC_ADDR to be an IPv4 address and port such as 127.0.0.1:7373, got "${address}"`]);
    });
  }
});
