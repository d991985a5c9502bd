import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Packable } from '../../../../handlers/members/msgpack-encode.ts';
import { agentView, MembersError } from '../../../../handlers/members/serf-members.ts';
import { ipText, SerfRpc } from '../../../../handlers/members/serf-rpc.ts';
import { type FakeSerfRpc, startFakeSerfRpc } from '../../../../harness/serf/fake-serf-rpc.ts';

const MEMBERS: Packable[] = [
  { Name: 'ha', Addr: Buffer.from([172, 18, 0, 2]), Port: 7946, Tags: { role: 'lb' }, Status: 'alive', ProtocolMin: 1 },
  // Go's net.IP often holds an IPv4 address in its 16-byte form.
  { Name: 'w1', Addr: Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 172, 18, 0, 3]), Port: 7946, Tags: { role: 'backend', port: '3000' }, Status: 'alive' },
  { Name: 'w2', Addr: Buffer.from('fd000000000000000000000000000005', 'hex'), Port: 7946, Tags: { role: 'backend' }, Status: 'alive' },
  { Name: 'gone', Addr: Buffer.from([172, 18, 0, 9]), Port: 7946, Tags: { role: 'backend' }, Status: 'left' },
];
// What `serf members -format json` prints for the same agent.
const CLI_JSON = JSON.stringify({
  members: [
    { name: 'ha', addr: '172.18.0.2:7946', tags: { role: 'lb' }, status: 'alive' },
    { name: 'w1', addr: '172.18.0.3:7946', tags: { role: 'backend', port: '3000' }, status: 'alive' },
    { name: 'w2', addr: '[fd00::5]:7946', tags: { role: 'backend' }, status: 'alive' },
    { name: 'gone', addr: '172.18.0.9:7946', tags: { role: 'backend' }, status: 'left' },
  ],
});

async function fakeAgent(t: TestContext, token: string): Promise<FakeSerfRpc> {
  const agent = await startFakeSerfRpc(token, MEMBERS);
  t.after(() => agent.close());
  return agent;
}

test('the members over one kept connection: handshake and auth once, then the same view `serf members -format json` gives', async (t) => {
  const agent = await fakeAgent(t, 'sekrit-token');
  const rpc = new SerfRpc(agent.address, 'sekrit-token');
  t.after(() => rpc.close());
  const first = await rpc.members();
  const second = await rpc.members();
  assert.deepEqual(first, agentView(CLI_JSON));
  assert.deepEqual(second, first);
  assert.deepEqual(first.alive.map((m) => [m.name, m.address]), [['ha', '172.18.0.2'], ['w1', '172.18.0.3'], ['w2', 'fd00::5']]);
  assert.equal(first.listed, 4);
  assert.deepEqual([agent.connections, agent.commands], [1, ['handshake', 'auth', 'members', 'members']]);
});

test('a wrong token fails the request in one line naming the agent and its answer', async (t) => {
  const agent = await fakeAgent(t, 'sekrit-token');
  const rpc = new SerfRpc(agent.address, 'wrong-token');
  t.after(() => rpc.close());
  await assert.rejects(rpc.members(), (e: Error) => e instanceof MembersError && e.message === `serf RPC ${agent.address}: auth: Invalid authentication token`);
});

test('a connection the agent drops fails what waits on it, and the next request connects again', async (t) => {
  const agent = await fakeAgent(t, 'sekrit-token');
  const rpc = new SerfRpc(agent.address, 'sekrit-token');
  t.after(() => rpc.close());
  agent.dropOnMembers = true;
  await assert.rejects(rpc.members(), (e: Error) => e instanceof MembersError && e.message === `serf RPC ${agent.address}: connection closed`);
  agent.dropOnMembers = false;
  assert.equal((await rpc.members()).listed, 4);
  assert.equal(agent.connections, 2);
});

test('no agent listening, or an address that is not host:port, is a one-line MembersError', async () => {
  const rpc = new SerfRpc('127.0.0.1:1', undefined);
  await assert.rejects(rpc.members(), (e: Error) => e instanceof MembersError && /^serf RPC 127\.0\.0\.1:1: connect ECONNREFUSED/.test(e.message));
  await assert.rejects(new SerfRpc('localhost', undefined).members(), (e: Error) => e instanceof MembersError && e.message === 'serf RPC address "localhost" is not host:port');
});

test("addresses written as Go writes a net.IP", () => {
  assert.equal(ipText(Buffer.from([10, 0, 0, 1])), '10.0.0.1');
  assert.equal(ipText(Buffer.from('00000000000000000000ffff0a000001', 'hex')), '10.0.0.1');
  assert.equal(ipText(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8::1');
  assert.equal(ipText(Buffer.from('fd000001000000000000000000000000', 'hex')), 'fd00:1::');
  assert.equal(ipText(Buffer.from([1, 2, 3])), '');
});
