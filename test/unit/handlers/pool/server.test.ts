import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Server, byName, sameServer } from '../../../../handlers/pool/server.ts';

const web1: Server = { name: 'web1', address: '10.0.0.5', port: 3000, weight: 1, tags: { role: 'backend' }, updated: 'a' };

test('sameServer ignores the updated time', () => {
  assert.equal(sameServer(web1, { ...web1, updated: 'b' }), true);
});

for (const [what, change] of [
  ['address', { address: '10.0.0.6' }],
  ['port', { port: 3001 }],
  ['weight', { weight: 2 }],
  ['tags', { tags: { role: 'backend', zone: 'a' } }],
] as const) {
  test(`sameServer sees a changed ${what}`, () => {
    assert.equal(sameServer(web1, { ...web1, ...change }), false);
  });
}

test('byName sorts by code unit, not by locale', () => {
  assert.deepEqual(['b', 'a', 'B', 'a-1', 'a.1', '_'].map((name) => ({ name })).sort(byName).map((b) => b.name), ['B', '_', 'a', 'a-1', 'a.1', 'b']);
});
