import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from '../../../../handlers/pool/server.ts';
import { type LiveRouting, planServices } from '../../../../handlers/pool/services.ts';

const server = (name: string, tags: Record<string, string> = {}): Server => ({ name, address: '10.0.0.5', port: 3000, weight: 1, tags: { role: 'backend', ...tags }, updated: '' });
const none: LiveRouting = { backends: new Map(), routes: new Map() };

test('one service and no routes: what every existing stack renders', () => {
  const plan = planServices([server('web2'), server('web1')], 'webapps', none, true);
  assert.deepEqual(plan.services.map((s) => [s.name, s.servers.map((b) => b.name)]), [['webapps', ['web1', 'web2']]]);
  assert.deepEqual([...plan.routes], []);
  assert.deepEqual(plan.conflicts, []);
});

test('hosts take the path (default /), a path alone is a route on any host; the default service exists empty', () => {
  const plan = planServices([server('a1', { service: 'shop', hosts: 'shop.test,*.shop.test' }), server('d1', { service: 'docs', path: '/docs' }), server('p1', { service: 'api', hosts: 'shop.test', path: '/api' })], 'webapps', none, true);
  assert.deepEqual(plan.services.map((s) => s.name), ['api', 'docs', 'shop', 'webapps']);
  assert.deepEqual(Object.fromEntries(plan.routes), { '*.shop.test/': 'shop', '/docs': 'docs', 'shop.test/': 'shop', 'shop.test/api': 'api' });
});

test('members of one service that disagree: the union of their routes; its check is its first server\'s', () => {
  const plan = planServices([server('s2', { service: 'shop', hosts: 'b.test', health: '/b' }), server('s1', { service: 'shop', hosts: 'a.test', health: '/a' })], undefined, none, true);
  assert.deepEqual(Object.fromEntries(plan.routes), { 'a.test/': 'shop', 'b.test/': 'shop' });
  assert.equal(plan.services[0]!.health, '/a');
  assert.deepEqual(plan.services.map((s) => s.name), ['shop'], 'no default service when LB_DEFAULT_SERVICE is none');
});

test('a route two services claim: the holder keeps it, else the lowest name; one line says so, the same every run', () => {
  const members = [server('z1', { service: 'zeta', hosts: 'x.test' }), server('a1', { service: 'alpha', hosts: 'x.test' })];
  const fresh = planServices(members, 'webapps', none, true);
  assert.equal(fresh.routes.get('x.test/'), 'alpha');
  assert.deepEqual(fresh.conflicts, ['route x.test/ claimed by alpha, zeta: alpha keeps it (lowest name)']);
  const held = planServices(members, 'webapps', { backends: new Map([['alpha', ''], ['zeta', '']]), routes: new Map([['x.test/', 'zeta']]) }, true);
  assert.equal(held.routes.get('x.test/'), 'zeta');
  assert.deepEqual(held.conflicts, ['route x.test/ claimed by alpha, zeta: zeta keeps it (it holds it now)']);
  assert.deepEqual(planServices([...members].reverse(), 'webapps', none, true), fresh, 'order does not matter');
});

test('a live service whose last member left is kept with the routes no one else claims, until a reload drops it', () => {
  const live: LiveRouting = { backends: new Map([['webapps', '/health'], ['docs', '/up']]), routes: new Map([['/docs', 'docs'], ['y.test/', 'docs']]) };
  const members = [server('b1', { service: 'blog', hosts: 'y.test' })];
  const kept = planServices(members, 'webapps', live, true);
  assert.deepEqual(kept.services.map((s) => [s.name, s.servers.length, s.health]), [['blog', 1, ''], ['docs', 0, '/up'], ['webapps', 0, '/health']]);
  assert.deepEqual(Object.fromEntries(kept.routes), { '/docs': 'docs', 'y.test/': 'blog' });
  assert.deepEqual(kept.conflicts, []);
  const dropped = planServices(members, 'webapps', live, false);
  assert.deepEqual(dropped.services.map((s) => s.name), ['blog', 'webapps']);
  assert.deepEqual(Object.fromEntries(dropped.routes), { 'y.test/': 'blog' });
});

test('a stored server whose route tags were edited into bad ones serves the default service, unrouted', () => {
  const plan = planServices([server('w1', { service: 'Bad Name', hosts: 'x.test' })], 'webapps', none, true);
  assert.deepEqual(plan.services.map((s) => [s.name, s.servers.length]), [['webapps', 1]]);
  assert.equal(plan.routes.size, 0);
});
