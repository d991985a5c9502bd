import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockTimeout, withLock } from '../../../../handlers/os/lock.ts';
import { tempDir } from '../../../fakes.ts';

/** A pid that belonged to a process that has exited: what a SIGKILLed holder leaves in its lock. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(child.status, 0);
  return child.pid;
}

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
  const results = await Promise.all([withLock(dir, work('a'), { pollMs: 5 }), withLock(dir, work('b'), { pollMs: 5 })]);
  assert.deepEqual(results, ['a', 'b']);
  assert.equal(state.most, 1);
  assert.equal(state.order.length, 4);
  assert.equal(state.order[0]!.slice(0, 2), state.order[1]!.slice(0, 2), 'the first holder leaves before the second enters');
});

test('the lock file is removed after the work, also when the work throws', async (t) => {
  const dir = await tempDir(t);
  await withLock(dir, async () => assert.deepEqual(await readdir(dir), ['.lock']));
  assert.deepEqual(await readdir(dir), []);
  await assert.rejects(withLock(dir, async () => { throw new Error('boom'); }), { message: 'boom' });
  assert.deepEqual(await readdir(dir), []);
});

test('a lock left by a dead process is taken over', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.lock'), `${deadPid()}\n`);
  const started = Date.now();
  assert.equal(await withLock(dir, async () => 'ran', { timeoutMs: 2000, pollMs: 5 }), 'ran');
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(await readdir(dir), []);
});

test('a lock older than staleMs is taken over even if its pid is alive', async (t) => {
  const dir = await tempDir(t);
  const lock = join(dir, '.lock');
  await writeFile(lock, `${process.ppid}\n`);
  const old = new Date(Date.now() - 10 * 60_000);
  await utimes(lock, old, old);
  assert.equal(await withLock(dir, async () => 'ran', { timeoutMs: 2000, staleMs: 60_000, pollMs: 5 }), 'ran');
});

test('many waiters taking over one stale lock still run one at a time', async (t) => {
  // Before the breaker, 16 waiters overlapped in about a third of the rounds.
  const dir = await tempDir(t);
  const dead = deadPid();
  for (let round = 0; round < 20; round++) {
    await writeFile(join(dir, '.lock'), `${dead}\n`);
    const { state, work } = tracker();
    await Promise.all(Array.from({ length: 16 }, (_, i) => withLock(dir, work(`w${i}`, 1), { pollMs: 1, timeoutMs: 10_000 })));
    assert.equal(state.order.length, 32);
    assert.equal(state.most, 1, `round ${round}: ${state.most} holders at once`);
  }
  assert.deepEqual(await readdir(dir), []);
});

test('a breaker left by a killed waiter is removed once old and does not block', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.lock'), `${deadPid()}\n`);
  await writeFile(join(dir, '.lock.break'), '');
  const old = new Date(Date.now() - 60_000);
  await utimes(join(dir, '.lock.break'), old, old);
  assert.equal(await withLock(dir, async () => 'ran', { timeoutMs: 2000, pollMs: 5 }), 'ran');
  assert.deepEqual(await readdir(dir), []);
});

test('a missing nodes directory is created to hold the lock', async (t) => {
  const dir = join(await tempDir(t), 'nodes', 'nested');
  assert.equal(await withLock(dir, async () => 'ran'), 'ran');
  assert.deepEqual(await readdir(dir), []);
});

test('a lock held by a live process times out with a LockTimeout naming the lock', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.lock'), `${process.ppid}\n`);
  let ran = false;
  await assert.rejects(
    withLock(dir, async () => { ran = true; }, { timeoutMs: 100, pollMs: 10 }),
    (error: unknown) => {
      assert.ok(error instanceof LockTimeout);
      assert.equal(error.message, `nodes directory ${dir} still locked after 100 ms (${join(dir, '.lock')})`);
      return true;
    },
  );
  assert.equal(ran, false);
});

test('an empty lock file (a holder between create and write) is waited for, not taken over', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, '.lock'), '');
  await assert.rejects(withLock(dir, async () => {}, { timeoutMs: 100, pollMs: 10 }), LockTimeout);
});
