// Serf writes an event's tags as k=v,k=v without escaping, in Go's random
// map order, while reconcile reads them as JSON. The same member must give
// the same server line whichever path saw it last: no flip, no reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backend, eventLine, HA, sandbox, type SerfJsonMember } from '../../support/handler-sandbox.ts';

/** Every order of the tags, as Serf may write them. */
function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const ODD: SerfJsonMember[] = [
  backend('labels', '10.0.0.11', { port: '4000', labels: 'env=prod,tier=web' }),
  backend('note', '10.0.0.12', { note: 'x=1,port=4000' }),
  backend('plain', '10.0.0.13', { note: 'a,port=4000', weight: '5' }),
  backend('docker', '10.0.0.14', { 'com.docker:x': 'y', port: '3001' }),
  backend('slash', '10.0.0.15', { 'app/tier': 'web', 'bad key': 'a\nserver evil 6.6.6.6:80' }),
];

const EXPECTED = [
  'server docker 10.0.0.14:3001 weight 1',
  'server labels 10.0.0.11:4000 weight 1',
  'server note 10.0.0.12:3000 weight 1',
  'server plain 10.0.0.13:3000 weight 5',
  'server slash 10.0.0.15:3000 weight 1',
];

function lines(member: SerfJsonMember): string[] {
  const ip = member.addr.split(':')[0]!;
  // Serf escapes a newline inside a value as \n.
  const tags = Object.entries(member.tags).map(([k, v]) => [k, v.replace(/\n/g, '\\n')] as [string, string]);
  return orders(tags).map((order) => eventLine(member.name, ip, order));
}

test('tags with commas, equals signs and odd keys give the same server lines on the reconcile and event paths', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, ...ODD]);
  const reconcile = await s.handler('reconcile');
  assert.equal(reconcile.code, 0, reconcile.stderr);
  assert.deepEqual(await s.servers(), EXPECTED);
  assert.equal((await s.reloads()).length, 1);
  let runs = 0;
  for (const member of ODD) {
    for (const entry of ['member-join', 'member-update']) {
      for (const line of lines(member)) {
        const run = await s.handler(entry, line);
        runs++;
        assert.equal(run.code, 0, `${entry} ${JSON.stringify(line)}: ${run.stderr}`);
        assert.deepEqual(await s.servers(), EXPECTED, `${entry} ${JSON.stringify(line)} changed the config`);
      }
    }
  }
  assert.ok(runs >= 30, `${runs} event runs`);
  assert.equal((await s.reloads()).length, 1, 'no run flipped a server');
});

test('from an empty store, the event path alone already gives the lines reconcile gives', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, ...ODD]);
  const join = await s.handler('member-join', ODD.map((m) => lines(m).at(-1)!).join(''));
  assert.equal(join.code, 0, join.stderr);
  assert.deepEqual(await s.servers(), EXPECTED);
  const reconcile = await s.handler('reconcile');
  assert.equal(reconcile.code, 0, reconcile.stderr);
  assert.match(reconcile.stderr, / config=unchanged runtime=off reload=no /);
});

test('a member whose tags can be read two ways is left to reconcile when serf members fails or does not list it alive', async (t) => {
  const s = await sandbox(t);
  const odd = lines(ODD[0]!)[0]!;
  const failing = await s.handler('member-join', odd, { flags: { 'members-cmd': 'false' } });
  assert.equal(failing.code, 0, failing.stderr);
  assert.match(failing.stderr, /level=warn .*msg="member left to reconcile" name=labels reason="tags can be read two ways and 'false' failed/);
  await s.setMembers([HA]);
  const unlisted = await s.handler('member-join', odd);
  assert.match(unlisted.stderr, /msg="member left to reconcile" name=labels reason="tags can be read two ways and serf members does not list it alive"/);
  assert.deepEqual(await s.nodeFiles(), []);
});
