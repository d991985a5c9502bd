import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochMsOf } from '../../../../../bench/cluster/run/container-start.ts';

test("Docker's StartedAt keeps what is below the millisecond", () => {
  const whole = Date.parse('2026-11-26T18:52:20Z');
  assert.equal(epochMsOf('2026-11-26T18:52:20.123456789Z'), whole + 123.456789);
  assert.equal(epochMsOf('2026-11-26T18:52:20Z'), whole);
  assert.equal(epochMsOf('2026-11-26T19:52:20.5+01:00'), whole + 500);
});

test('anything but an RFC 3339 time is refused in one line', () => {
  assert.throws(() => epochMsOf('0001-01-01 00:00:00'), /^Error: Expected an RFC 3339 time like .*, got `0001-01-01 00:00:00`$/);
});
