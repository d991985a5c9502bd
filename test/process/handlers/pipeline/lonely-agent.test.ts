// A freshly restarted ha agent lists only itself until it rejoins its
// cluster; reconcile must not take that as "every backend is gone".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backend, HA, sandbox, type Sandbox } from '../../support/handler-sandbox.ts';

/** web1 and web2 recorded by a pass while the agent knew them. */
async function joined(s: Sandbox): Promise<void> {
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6')]);
  await s.handler('reconcile');
}
const BOTH = ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1'];

test('reconcile on an agent that lists only itself removes nothing and says why', async (t) => {
  const s = await sandbox(t);
  await joined(s);
  await s.setMembers([HA]);
  const run = await s.handler('reconcile');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web2.json']);
  assert.deepEqual(await s.servers(), BOTH);
  assert.equal(run.stderr.match(/msg="removals refused"/g)?.length, 1, run.stderr);
  assert.equal((await s.reloads()).length, 1);
});

test('a lone agent still adds what it lists, and once it knows others again, reconcile removes as before', async (t) => {
  const s = await sandbox(t);
  await joined(s);
  // Only itself and one backend it learnt about: it has rejoined.
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6', {}, 'left')]);
  const run = await s.handler('reconcile');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
  assert.doesNotMatch(run.stderr, /removals refused/);
});

test('an empty member list (not even the agent) removes nothing either', async (t) => {
  const s = await sandbox(t);
  await joined(s);
  await s.setMembers([]);
  const run = await s.handler('reconcile');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.servers(), BOTH);
});
