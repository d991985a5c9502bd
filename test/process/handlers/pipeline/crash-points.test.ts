// Runs killed or starved at the worst moments: each must leave a state the
// next run completes, and nothing an event said may be lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import { backend, eventLine, HA, sandbox } from '../../support/handler-sandbox.ts';

const WEB1 = eventLine('web1', '10.0.0.5', [['role', 'backend']]);
const WEB2 = eventLine('web2', '10.0.0.6', [['role', 'backend']]);

test('a run killed right after the new config is renamed into place still gets HAProxy to load it', async (t) => {
  const s = await sandbox(t);
  const killed = await s.handler('member-join', WEB1, { killAt: 'after:rename:haproxy.cfg' });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1'], 'the kill came after the rename');
  assert.deepEqual(await s.reloads(), [], 'and before the reload');
  // Serf does not repeat the event; a reconcile finds the same set.
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const next = await s.handler('reconcile');
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, / config=unchanged runtime=off reload=yes /);
  assert.deepEqual(await s.reloads(), [await s.liveSha()]);
});

test('a missing template loses no event: the store records the member and the next run renders it', async (t) => {
  const s = await sandbox(t);
  const template = await readFile(s.template, 'utf8');
  await rename(s.template, `${s.template}.away`);
  const failed = await s.handler('member-join', WEB1);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /level=error .*ENOENT/);
  assert.deepEqual(await s.nodeFiles(), ['web1.json']);
  await rename(`${s.template}.away`, s.template);
  assert.equal(await readFile(s.template, 'utf8'), template);
  const next = await s.handler('member-join', WEB2);
  assert.equal(next.code, 0, next.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
  assert.deepEqual(await s.reloads(), [await s.liveSha()]);
});

test('a run still waiting for its stdin does not hold the lock', { timeout: 30_000 }, async (t) => {
  const s = await sandbox(t);
  let slow: import('node:child_process').ChildProcess | undefined;
  // Serf has not finished writing this run's members yet.
  const waiting = s.handler('member-join', WEB1, { holdStdin: true, onSpawn: (child) => (slow = child) });
  // Give it every chance to reach the lock (and, unfixed, to take it) first.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const other = await s.handler('member-join', WEB2, {});
  assert.equal(other.code, 0, other.stderr);
  assert.deepEqual(await s.servers(), ['server web2 10.0.0.6:3000 weight 1']);
  slow!.stdin!.end();
  const first = await waiting;
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
});
