import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchForQuiet } from '../../../webapp/lib/drain.ts';

test('ends as quiet when nothing touches it', async () => {
  assert.equal(await watchForQuiet(50, 10_000).ended, 'quiet');
});

test('touches keep it open; it ends as quiet once they stop', async () => {
  const watch = watchForQuiet(150, 10_000);
  let ended = false;
  void watch.ended.then(() => (ended = true));
  // 12 touches 25 ms apart span 300 ms, twice the quiet period.
  for (let i = 0; i < 12; i += 1) {
    watch.touch();
    await sleep(25);
    assert.equal(ended, false, `ended after touch ${i + 1} although touches kept coming`);
  }
  assert.equal(await watch.ended, 'quiet');
});

test('the cap ends it while touches keep coming', async () => {
  const watch = watchForQuiet(200, 300);
  let ended = false;
  void watch.ended.then(() => (ended = true));
  while (!ended) {
    watch.touch();
    await sleep(20);
  }
  assert.equal(await watch.ended, 'max');
});

test('a cap shorter than the quiet period wins', async () => {
  assert.equal(await watchForQuiet(5000, 50).ended, 'max');
});
