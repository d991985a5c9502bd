import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings } from '../../../webapp/lib/settings.ts';

test('defaults: port 3000, named after the host, 1.5 s quiet, 8 s at most', () => {
  assert.deepEqual(readSettings({}, 'c0ffee'), {
    port: 3000,
    serverName: 'c0ffee',
    drainQuietMs: 1500,
    drainMaxMs: 8000,
  });
});

test('reads every setting from the environment', () => {
  const env = { PORT: '3001', SERVER_NAME: 'web-2', DRAIN_QUIET_MS: '100', DRAIN_MAX_MS: '0' };
  assert.deepEqual(readSettings(env, 'c0ffee'), {
    port: 3001,
    serverName: 'web-2',
    drainQuietMs: 100,
    drainMaxMs: 0,
  });
});

test('an empty variable counts as unset', () => {
  assert.deepEqual(readSettings({ PORT: '', SERVER_NAME: '' }, 'c0ffee'), readSettings({}, 'c0ffee'));
});

const refused: [name: string, env: NodeJS.ProcessEnv, message: string][] = [
  ['a port that is not a number', { PORT: 'http' }, 'expected PORT to be an integer 0..65535, got "http"'],
  ['a port out of range', { PORT: '70000' }, 'expected PORT to be an integer 0..65535, got "70000"'],
  ['a negative quiet period', { DRAIN_QUIET_MS: '-5' }, 'expected DRAIN_QUIET_MS to be an integer 0..3600000, got "-5"'],
  ['a drain cap with a unit', { DRAIN_MAX_MS: '8s' }, 'expected DRAIN_MAX_MS to be an integer 0..3600000, got "8s"'],
  ['a server name with a space', { SERVER_NAME: 'web 1' }, 'expected SERVER_NAME to be printable ASCII without spaces, got "web 1"'],
];

for (const [name, env, message] of refused) {
  test(`refuses ${name}`, () => {
    assert.throws(() => readSettings(env, 'c0ffee'), { name: 'SettingsError', message });
  });
}
