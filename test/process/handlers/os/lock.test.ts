import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockTimeout, withLock } from '../../../../handlers/os/lock.ts';
import { tempDir } from '../../../fakes.ts';
import { bundleDir, sandbox } from '../../support/handler-sandbox.ts';

/** Work that records how many holders were inside at once. */
function tracker() {
  const state = { inside: 0, most: 0, order: [] as string[] };
  const work = (name: string, ms = 20) => async () => {
    state.inside++;
    state.most = Math.max(state.most, state.inside);
    state.order.push(`${name}:in`);
    await sleep(ms);
    state.order.push(`${name}:out`);
    state.inside--;
    return name;
  };
  return { state, work };
}

test('two concurrent withLock calls run one after the other', async (t) => {
  const dir = await tempDir(t);
  const { state, work } = tracker();
  const results = await Promise.all([withLock(dir, work('a')), withLock(dir, work('b'))]);
  assert.deepEqual(results.sort(), ['a', 'b']);
  assert.equal(state.most, 1);
  assert.equal(state.order.length, 4);
  assert.equal(state.order[0]!.slice(0, 2), state.order[1]!.slice(0, 2), 'the first holder leaves before the second enters');
});

test('many waiters run one at a time, and the lock leaves no file behind, also when the work throws', async (t) => {
  const dir = await tempDir(t);
  const { state, work } = tracker();
  await Promise.all(Array.from({ length: 16 }, (_, i) => withLock(dir, work(`w${i}`, 1), { timeoutMs: 10_000 })));
  assert.equal(state.order.length, 32);
  assert.equal(state.most, 1);
  await assert.rejects(withLock(dir, async () => { throw new Error('boom'); }), { message: 'boom' });
  assert.deepEqual(await readdir(dir), []);
});

test('an empty .lock file (a run killed between creating and writing it) blocks nothing', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.lock'), '');
  assert.equal(await withLock(dir, async () => 'ran', { timeoutMs: 3000 }), 'ran');
});

test('a live holder keeps the lock however long it holds and however old its files look', async (t) => {
  const dir = await tempDir(t);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const { state, work } = tracker();
  const holder = withLock(dir, async () => {
    entered();
    await work('holder', 0)();
    state.inside++;
    await released;
    state.inside--;
  });
  await inside;
  // What 10 minutes of holding looks like on disk.
  const old = new Date(Date.now() - 10 * 60_000);
  for (const file of await readdir(dir)) await utimes(join(dir, file), old, old);
  await assert.rejects(withLock(dir, work('intruder'), { timeoutMs: 1000 }), LockTimeout);
  assert.equal(state.most, 1, 'nobody entered beside the holder');
  release();
  await holder;
  assert.equal(await withLock(dir, work('next')), 'next');
});

test('a lock held by a live holder times out with a LockTimeout naming the nodes directory', async (t) => {
  const dir = await tempDir(t);
  let release!: () => void;
  const holder = withLock(dir, () => new Promise<void>((resolve) => (release = resolve)));
  await sleep(50);
  let ran = false;
  await assert.rejects(
    withLock(dir, async () => { ran = true; }, { timeoutMs: 100 }),
    (error: unknown) => {
      assert.ok(error instanceof LockTimeout);
      assert.match(error.message, new RegExp(`^nodes directory ${dir} still locked after 100 ms`));
      return true;
    },
  );
  assert.equal(ran, false);
  release();
  await holder;
});

test('a missing nodes directory is created to hold the lock', async (t) => {
  const dir = join(await tempDir(t), 'nodes', 'nested');
  assert.equal(await withLock(dir, async () => 'ran'), 'ran');
  assert.deepEqual(await readdir(dir), []);
});

test('a handler SIGKILLed while it holds the lock frees it at once, even with its command still running', async (t) => {
  const s = await sandbox(t);
  const started = join(s.dir, 'started');
  // The holder waits inside the lock on a members command that outlives it.
  const holder = spawn(process.execPath, [join(bundleDir, 'reconcile.cjs'), '--nodes-dir', s.nodes, '--template', s.template, '--config', s.config,
    '--check-cmd', 'true', '--reload-cmd', 'true', '--members-cmd', `touch ${started}; sleep 20; cat ${s.members}`], { stdio: 'ignore' });
  t.after(() => holder.kill('SIGKILL'));
  while (!(await readdir(s.dir)).includes('started')) await sleep(20);
  await assert.rejects(withLock(s.nodes, async () => {}, { timeoutMs: 300 }), LockTimeout, 'held while the holder lives');
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.equal(await withLock(s.nodes, async () => 'ran', { timeoutMs: 1000 }), 'ran');
});

test('20 concurrent passes never overlap inside the lock', async (t) => {
  const s = await sandbox(t);
  const trace = join(s.dir, 'trace');
  // The check runs inside the lock: each pass writes "in", waits, writes "out".
  const check = `echo in >> ${trace}; sleep 0.02; echo out >> ${trace}; true`;
  // Each pass sees another member set, so each installs a config of its own and runs the check.
  const runs = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    const members = join(s.dir, `members-${i}.json`);
    const listed = Array.from({ length: i + 1 }, (_, j) => ({ name: `web${j}`, addr: `10.0.1.${j + 1}:7946`, tags: { role: 'backend' }, status: 'alive' }));
    await writeFile(members, JSON.stringify({ members: [{ name: 'ha', addr: '10.0.0.2:7946', tags: { role: 'lb' }, status: 'alive' }, ...listed] }));
    return s.handler('reconcile', '', { flags: { 'check-cmd': check, 'members-cmd': `cat ${members}` } });
  }));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  const lines = (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 40);
  assert.deepEqual(lines, Array.from({ length: 40 }, (_, i) => (i % 2 ? 'out' : 'in')), 'an "in" followed by another "in" is two holders at once');
  assert.ok((await s.servers()).length >= 1);
});
