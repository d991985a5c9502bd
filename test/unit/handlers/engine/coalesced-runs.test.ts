import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescedRuns } from '../../../../handlers/engine/coalesced-runs.ts';

/** A pass the test finishes by hand, recording the reasons each one was given. */
function gatedPasses() {
  const passes: string[][] = [];
  const gates: (() => void)[] = [];
  const runs = new CoalescedRuns(async (reasons) => {
    passes.push(reasons);
    await new Promise<void>((open) => gates.push(open));
    return passes.length;
  });
  return { runs, passes, finish: () => gates.shift()?.() };
}

test('a wake-up starts a pass at once and is answered by it', async () => {
  const { runs, passes, finish } = gatedPasses();
  const answer = runs.wake('start');
  assert.deepEqual(passes, [['start']]);
  finish();
  assert.equal(await answer, 1);
});

test('wake-ups during a pass share the one pass after it, and none is answered by a pass that began before it', async () => {
  const { runs, passes, finish } = gatedPasses();
  const first = runs.wake('start');
  const during = [runs.wake('member-join'), runs.wake('monitor'), runs.wake('member-join')];
  assert.equal(passes.length, 1, 'no second pass while the first runs');
  finish();
  assert.equal(await first, 1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(passes[1], ['member-join', 'monitor'], 'one pass for the three, each reason once');
  finish();
  assert.deepEqual(await Promise.all(during), [2, 2, 2]);
});

test('after the queue empties, the next wake-up starts a pass of its own', async () => {
  const { runs, passes, finish } = gatedPasses();
  const one = runs.wake('a');
  finish();
  await one;
  const two = runs.wake('b');
  assert.deepEqual(passes, [['a'], ['b']]);
  finish();
  assert.equal(await two, 2);
});
