import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDelayBody } from '../../../webapp/lib/delay-body.ts';

test('accepts an integer delay from 0 to 60000', () => {
  assert.equal(parseDelayBody('{"delay": 0}'), 0);
  assert.equal(parseDelayBody('{"delay":250}'), 250);
  assert.equal(parseDelayBody(' {"delay": 60000, "note": "extra fields are ignored"}\n'), 60000);
});

const refused: [name: string, body: string, message: string][] = [
  ['empty body', '', 'expected {"delay": integer 0..60000}, got an empty body'],
  ['not JSON', 'abc', 'expected {"delay": integer 0..60000}, got "abc"'],
  ['a bare number', '250', 'expected {"delay": integer 0..60000}, got 250 (number)'],
  ['an array', '[250]', 'expected {"delay": integer 0..60000}, got an array'],
  ['null', 'null', 'expected {"delay": integer 0..60000}, got null'],
  ['no delay field', '{"wait": 5}', 'expected {"delay": integer 0..60000}, got no "delay" field'],
  ['a string delay', '{"delay": "abc"}', 'expected "delay" to be an integer 0..60000, got "abc" (string)'],
  ['a fraction', '{"delay": 1.5}', 'expected "delay" to be an integer 0..60000, got 1.5 (number)'],
  ['a negative delay', '{"delay": -1}', 'expected "delay" to be an integer 0..60000, got -1 (number)'],
  ['over a minute', '{"delay": 60001}', 'expected "delay" to be an integer 0..60000, got 60001 (number)'],
  ['null delay', '{"delay": null}', 'expected "delay" to be an integer 0..60000, got null'],
  ['an object delay', '{"delay": {}}', 'expected "delay" to be an integer 0..60000, got an object'],
  ['long garbage, quoting only its start', 'x'.repeat(100), `expected {"delay": integer 0..60000}, got "${'x'.repeat(60)}..."`],
];

for (const [name, body, message] of refused) {
  test(`refuses ${name}`, () => {
    assert.throws(() => parseDelayBody(body), { name: 'InvalidDelay', message });
  });
}
