import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { inParallel } from '../../../../handlers/os/in-parallel.ts';

test('runs every item once, never more than the limit at a time', async () => {
  let running = 0;
  let most = 0;
  const seen: number[] = [];
  await inParallel(Array.from({ length: 20 }, (_, i) => i), 4, async (item, index) => {
    assert.equal(item, index);
    running++;
    most = Math.max(most, running);
    await sleep(item % 3);
    seen.push(item);
    running--;
  });
  assert.equal(most, 4);
  assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
});

test('an empty list runs nothing', async () => {
  let calls = 0;
  await inParallel([], 8, async () => {
    calls++;
  });
  assert.equal(calls, 0);
});

test('a failure stops new tasks, waits for the started ones, then throws the first error', async () => {
  const started: number[] = [];
  const finished: number[] = [];
  await assert.rejects(
    inParallel([0, 1, 2, 3, 4, 5, 6, 7], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('disk full');
      if (item === 2) throw new Error('second failure');
      await sleep(20);
      finished.push(item);
    }),
    { message: 'disk full' },
  );
  // 0 was running when 1 failed: it finished before inParallel returned.
  assert.deepEqual(finished, [0]);
  assert.ok(started.length < 8, `started ${started.join(',')}`);
});
