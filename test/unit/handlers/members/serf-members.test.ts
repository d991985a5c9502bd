import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliveMembers, hostOf, listAliveMembers, MembersError } from '../../../../handlers/members/serf-members.ts';
import { fakeRun } from '../../../fakes.ts';

/** What `serf members -format json` prints (command/agent members.go), trimmed to what we read plus one extra field. */
const SERF_OUTPUT = JSON.stringify({
  members: [
    { name: 'ha', addr: '172.18.0.2:7946', port: 7946, tags: { role: 'lb' }, status: 'alive', protocol: { max: 5, min: 2, version: 5 } },
    { name: 'web1', addr: '172.18.0.3:7946', port: 7946, tags: { role: 'backend', port: '3000' }, status: 'alive' },
    { name: 'web2', addr: '[fd00::3]:7946', port: 7946, tags: { role: 'backend', weight: '5' }, status: 'alive' },
    { name: 'web3', addr: '172.18.0.5:7946', port: 7946, tags: { role: 'backend' }, status: 'failed' },
    { name: 'web4', addr: '172.18.0.6:7946', port: 7946, tags: { role: 'backend' }, status: 'left' },
    { name: 'web5', addr: '172.18.0.7:7946', port: 7946, tags: { role: 'backend' }, status: 'leaving' },
  ],
});

test('reads alive members with IPv4 and bracketed IPv6 addresses and their tags', () => {
  const members = aliveMembers(SERF_OUTPUT);
  assert.deepEqual(members.map((m) => [m.name, m.address, m.role]), [
    ['ha', '172.18.0.2', 'lb'],
    ['web1', '172.18.0.3', 'backend'],
    ['web2', 'fd00::3', 'backend'],
  ]);
  assert.deepEqual([...members[2]!.tags], [['role', 'backend'], ['weight', '5']]);
});

test('failed, left and leaving members are filtered out', () => {
  const names = aliveMembers(SERF_OUTPUT).map((m) => m.name);
  for (const gone of ['web3', 'web4', 'web5']) assert.ok(!names.includes(gone), gone);
});

test('hostOf strips the port from host:port and the brackets from [v6]:port', () => {
  assert.equal(hostOf('10.0.0.5:7946'), '10.0.0.5');
  assert.equal(hostOf('[::1]:7946'), '::1');
  assert.equal(hostOf('[fe80::1%eth0]:7946'), 'fe80::1%eth0');
  assert.equal(hostOf('10.0.0.5'), '10.0.0.5');
});

test('a member without tags has no role and is not a backend', () => {
  const [member] = aliveMembers(JSON.stringify({ members: [{ name: 'x', addr: '10.0.0.1:7946', status: 'alive' }] }));
  assert.equal(member?.role, '');
  assert.equal(member?.tags.size, 0);
});

test('a member without a name or an address gets empty ones, which validation rejects', () => {
  const [member] = aliveMembers(JSON.stringify({ members: [{ status: 'alive', tags: { role: 'backend' } }] }));
  assert.equal(member?.name, '');
  assert.equal(member?.address, '');
});

test('non-string tag values are kept as text', () => {
  const [member] = aliveMembers(JSON.stringify({ members: [{ name: 'x', addr: '10.0.0.1:7946', status: 'alive', tags: { port: 3001 } }] }));
  assert.equal(member?.tags.get('port'), '3001');
});

test('null entries in the members array are skipped', () => {
  assert.deepEqual(aliveMembers('{"members":[null]}'), []);
});

for (const [what, output, message] of [
  ['not JSON', 'Error connecting to Serf agent', /^serf members output is not JSON: /],
  ['JSON null', 'null', /^serf members output has no "members" array$/],
  ['no members array', '{"members":{}}', /^serf members output has no "members" array$/],
] as const) {
  test(`output that is ${what} is a MembersError`, () => {
    assert.throws(() => aliveMembers(output), (error: unknown) => error instanceof MembersError && message.test(error.message));
  });
}

test('listAliveMembers runs the members command and parses its stdout', async () => {
  const run = fakeRun(() => ({ stdout: SERF_OUTPUT }));
  assert.equal((await listAliveMembers('serf members -format json', run)).alive.length, 3);
  assert.deepEqual(run.calls, [{ commandLine: 'serf members -format json', args: [] }]);
});

test('a failing members command is a MembersError with its first error line', async () => {
  const run = fakeRun(() => ({ code: 1, output: 'Error connecting to Serf agent: dial tcp 127.0.0.1:7373: connect: connection refused\n' }));
  await assert.rejects(listAliveMembers('serf members -format json', run), (error: unknown) => {
    assert.ok(error instanceof MembersError);
    assert.equal(error.message, "'serf members -format json' failed (exit 1): Error connecting to Serf agent: dial tcp 127.0.0.1:7373: connect: connection refused");
    return true;
  });
});
