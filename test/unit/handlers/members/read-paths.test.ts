// Every path that lists the members must read each one the same way: a
// member read differently by two runs gets its node file rewritten (and,
// with a template that prints tags, HAProxy reloaded) on every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv4 } from 'node:net';
import type { Packable } from '../../../../handlers/members/msgpack-encode.ts';
import { agentView } from '../../../../handlers/members/serf-members.ts';
import { SerfRpc } from '../../../../handlers/members/serf-rpc.ts';
import { readTags } from '../../../../handlers/members/tags.ts';
import { startFakeSerfRpc } from '../../../../harness/serf/fake-serf-rpc.ts';

interface Listed {
  name: string;
  address: string;
  tags: Record<string, string>;
  status: string;
}

// Tags built by JSON.parse, so `__proto__` is an own key as Serf sends it.
const HOSTILE_TAGS = JSON.parse(String.raw`{
  "role": "backend", "__proto__": "tok", "constructor": "c", "toString": "t", "hasOwnProperty": "h", "valueOf": "",
  "10": "ten", "2": "two", "": "empty key", "note": "a\\tb c\\nd", "line": "x\ny\tz", "quote": "\"'",
  "unicode": "caf\u00e9 \u2603", "port": "3000"
}`) as Record<string, string>;

const LISTED: Listed[] = [
  { name: 'ha', address: '172.18.0.2', tags: { role: 'lb' }, status: 'alive' },
  { name: 'web1', address: '172.18.0.11', tags: HOSTILE_TAGS, status: 'alive' },
  { name: 'web2', address: 'fd00::5', tags: JSON.parse('{"__proto__":"x","role":"backend"}'), status: 'alive' },
  { name: 'web3', address: '172.18.0.13', tags: {}, status: 'alive' },
  { name: 'gone', address: '172.18.0.9', tags: { role: 'backend', __x: 'y' }, status: 'left' },
];

/** What `serf members -format json` prints for these members. */
function cliJson(members: readonly Listed[]): string {
  const addr = (a: string) => (isIPv4(a) ? `${a}:7946` : `[${a}]:7946`);
  return JSON.stringify({ members: members.map((m) => ({ name: m.name, addr: addr(m.address), tags: m.tags, status: m.status })) });
}

/** The same members as the agent's RPC sends them: Go's field names, the address as net.IP's bytes. */
function rpcMembers(members: readonly Listed[]): Packable[] {
  const V6: Record<string, string> = { 'fd00::5': 'fd000000000000000000000000000005' };
  const bytes = (a: string) => (isIPv4(a) ? Buffer.from(a.split('.').map(Number)) : Buffer.from(V6[a]!, 'hex'));
  return members.map((m) => ({ Name: m.name, Addr: bytes(m.address), Port: 7946, Tags: m.tags, Status: m.status }));
}

test('serf members -format json and the RPC read every member, hostile tag names included, the same way', async (t) => {
  const agent = await startFakeSerfRpc('tok', rpcMembers(LISTED));
  t.after(() => agent.close());
  const rpc = new SerfRpc(agent.address, 'tok');
  t.after(() => rpc.close());
  const overRpc = await rpc.members();
  const fromCli = agentView(cliJson(LISTED));
  assert.deepEqual(overRpc, fromCli);
  // deepEqual on Maps compares entries; the stored form is what decides a rewrite.
  const stored = (view: typeof overRpc) => view.alive.map((m) => JSON.stringify(readTags(m.tags).all));
  assert.deepEqual(stored(overRpc), stored(fromCli));
  const web1 = overRpc.alive.find((m) => m.name === 'web1')!;
  assert.equal(web1.tags.get('__proto__'), 'tok');
  assert.equal(web1.tags.size, Object.keys(HOSTILE_TAGS).length);
  assert.equal(overRpc.alive.find((m) => m.name === 'web2')!.tags.get('__proto__'), 'x');
});
