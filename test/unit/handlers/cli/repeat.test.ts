import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { repeat } from '../../../../handlers/cli/repeat.ts';

/** An AbortSignal that ends the loop when the test ends. */
function untilTestEnds(t: TestContext): AbortSignal {
  const controller = new AbortController();
  t.after(() => controller.abort());
  return controller.signal;
}

test('runs at once, then on a wake-up without waiting for the interval', async (t) => {
  const signals = new EventEmitter();
  let runs = 0;
  void repeat(async () => void runs++, 3600, signals, untilTestEnds(t));
  await sleep(10);
  assert.equal(runs, 1);
  signals.emit('wake');
  await sleep(10);
  assert.equal(runs, 2);
});

test('signals during a run make one more run, not one each', async (t) => {
  const signals = new EventEmitter();
  let runs = 0;
  void repeat(async () => {
    runs++;
    if (runs === 1) {
      signals.emit('wake');
      signals.emit('wake');
      signals.emit('wake');
    }
    await sleep(5);
  }, 3600, signals, untilTestEnds(t));
  await sleep(60);
  assert.equal(runs, 2);
});

test('runs again when the interval has passed', async (t) => {
  let runs = 0;
  void repeat(async () => void runs++, 0.02, new EventEmitter(), untilTestEnds(t));
  await sleep(70);
  assert.ok(runs >= 3, `${runs} runs in 70 ms at one per 20 ms`);
});
