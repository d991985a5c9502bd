import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failedBetween } from '../../../../../bench/cluster/report/phase-failures.ts';

const perSecond = [0, 1, 2, 3, 4].map((second) => ({ second, ok: 100, failed: second * 10 }));

test('failures sent in a phase, a second counting for the phase its start falls in', () => {
  assert.equal(failedBetween({ perSecond }, 1500, 3200), 10 + 20);
  assert.equal(failedBetween({ perSecond }, 3200, 9000), 30 + 40);
  assert.equal(failedBetween({ perSecond }, 0, 9000), 100);
  assert.equal(failedBetween({ perSecond }, 2000, 2000), 0);
});
