// Runs killed or starved at the worst moments: each must leave a state the
// next run completes, and nothing an event said may be lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import { backend, eventLine, HA, sandbox } from '../../support/handler-sandbox.ts';


test('a run killed right after the new config is renamed into place still gets HAProxy to load it', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const killed = await s.handler('reconcile', '', { killAt: 'after:rename:haproxy.cfg' });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1'], 'the kill came after the rename');
  assert.deepEqual(await s.reloads(), [], 'and before the reload');
  // The next pass finds the same set.
  const next = await s.handler('reconcile');
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, / config=unchanged runtime=off reload=yes /);
  assert.deepEqual(await s.reloads(), [await s.liveSha()]);
});

test('a missing template loses no change: the store records the member and the next pass renders it', async (t) => {
  const s = await sandbox(t);
  const template = await readFile(s.template, 'utf8');
  await rename(s.template, `${s.template}.away`);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const failed = await s.handler('reconcile');
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /level=error .*ENOENT/);
  assert.deepEqual(await s.nodeFiles(), ['web1.json']);
  await rename(`${s.template}.away`, s.template);
  assert.equal(await readFile(s.template, 'utf8'), template);
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6')]);
  const next = await s.handler('reconcile');
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
  assert.deepEqual(await s.reloads(), [await s.liveSha()]);
});

test("a member event's handler still waiting for its stdin holds up neither the engine nor the next event", { timeout: 30_000 }, async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  await s.engine();
  let slow: import('node:child_process').ChildProcess | undefined;
  // Serf has not finished writing this handler's members yet.
  const waiting = s.handler('member-join', eventLine(backend('web1', '10.0.0.5')), { holdStdin: true, onSpawn: (child) => (slow = child) });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6')]);
  const other = await s.handler('member-join', eventLine(backend('web2', '10.0.0.6')));
  assert.equal(other.code, 0, other.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
  slow!.stdin!.end();
  const first = await waiting;
  assert.equal(first.code, 0, first.stderr);
});
