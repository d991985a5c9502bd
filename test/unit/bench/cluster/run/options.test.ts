import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionsError, parseBenchOptions, USAGE } from '../../../../../bench/cluster/run/options.ts';

test('all three modes and every scenario by default, scale-50 to 50', () => {
  const options = parseBenchOptions([]);
  assert.ok(options !== 'help');
  assert.deepEqual(options.modes, ['seamless', 'restart', 'dns']);
  assert.ok(options.scenarios.includes('scale-50'));
  assert.equal(options.scaleTo, 50);
});

test('a smoke run: one scenario, the dns mode, a smaller scale', () => {
  const options = parseBenchOptions(['--only', 'scale-50', '--modes', 'dns,seamless', '--scale-to', '10']);
  assert.ok(options !== 'help');
  assert.deepEqual([options.scenarios, options.modes, options.scaleTo], [['scale-50'], ['seamless', 'dns'], 10]);
});

test('--scale-to outside 3..60 and an unknown mode are refused, naming what came', () => {
  assert.throws(() => parseBenchOptions(['--scale-to', '61']), new OptionsError('Expected --scale-to to be from 3 to 60, got `61`'));
  assert.throws(() => parseBenchOptions(['--scale-to', '2']), new OptionsError('Expected --scale-to to be from 3 to 60, got `2`'));
  assert.throws(() => parseBenchOptions(['--modes', 'consul']), new OptionsError('Expected --modes to be one of seamless, restart, dns, got `consul`'));
});

test('--help documents the modes and --scale-to', () => {
  assert.equal(parseBenchOptions(['--help']), 'help');
  for (const word of ['seamless', 'restart', 'dns', '--scale-to', 'scale-50', 'RELOAD_STRATEGY=restart']) assert.ok(USAGE.includes(word), word);
});

test('more backends than the dns mode has slots is refused before anything starts', () => {
  assert.throws(() => parseBenchOptions(['--backends', '60']), new OptionsError('Expected --backends to be at most 59 with the dns mode (60 server slots), got `60`'));
  const options = parseBenchOptions(['--backends', '60', '--modes', 'seamless']);
  assert.ok(options !== 'help' && options.backends === 60);
});
