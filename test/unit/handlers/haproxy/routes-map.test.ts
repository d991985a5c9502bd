import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoutesFile, parseShowMap, planRoutes, routesFile, syncRoutes } from '../../../../handlers/haproxy/routes-map.ts';
import { RuntimeStateError } from '../../../../handlers/haproxy/runtime-state.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';

const MAP = '/etc/haproxy/routes.map';

test('the map file: sorted key value lines under a comment, read back the same', () => {
  const routes = new Map([['shop.test/', 'shop'], ['/docs', 'docs'], ['*.shop.test/api', 'api']]);
  const text = routesFile(routes);
  assert.equal(text.split('\n').slice(1).join('\n'), '*.shop.test/api api\n/docs docs\nshop.test/ shop\n');
  assert.ok(text.startsWith('# '));
  assert.deepEqual(parseRoutesFile(text), routes);
  assert.equal(routesFile(new Map([...routes].reverse())), text, 'the same routes write the same bytes');
});

test("'show map' lines are read; anything else is a one-line RuntimeStateError", () => {
  assert.deepEqual(parseShowMap('0x55d1 shop.test/ shop\n0x55d2 /docs docs\n'), new Map([['shop.test/', 'shop'], ['/docs', 'docs']]));
  assert.deepEqual(parseShowMap(''), new Map());
  assert.throws(() => parseShowMap('Unknown map identifier. Please use #<id> or <file>.\n'), RuntimeStateError);
});

test('the plan adds new routes, sets moved ones and deletes gone ones', () => {
  const running = new Map([['a.test/', 'alpha'], ['b.test/', 'beta'], ['gone.test/', 'beta']]);
  const wanted = new Map([['a.test/', 'alpha'], ['b.test/', 'alpha'], ['c.test/', 'gamma']]);
  assert.deepEqual(planRoutes(wanted, running), { add: [['c.test/', 'gamma']], set: [['b.test/', 'alpha']], del: ['gone.test/'] });
  assert.deepEqual(planRoutes(running, running), { add: [], set: [], del: [] });
});

test('syncRoutes makes the running map the wanted one in one line of commands, and reads only when nothing changed', async () => {
  const fake = new FakeRuntime();
  fake.maps.set(MAP, new Map([['a.test/', 'alpha'], ['b.test/', 'beta'], ['gone.test/', 'beta']]));
  assert.equal(await syncRoutes(fake.command, MAP, new Map([['a.test/', 'alpha'], ['b.test/', 'alpha'], ['c.test/', 'gamma']])), 3);
  assert.deepEqual(Object.fromEntries(fake.maps.get(MAP)!), { 'a.test/': 'alpha', 'b.test/': 'alpha', 'c.test/': 'gamma' });
  assert.deepEqual(fake.lines, [`show map ${MAP}`, `add map ${MAP} c.test/ gamma; set map ${MAP} b.test/ alpha; del map ${MAP} gone.test/`]);
  fake.lines.length = 0;
  assert.equal(await syncRoutes(fake.command, MAP, fake.maps.get(MAP)!), 0);
  assert.deepEqual(fake.lines, [`show map ${MAP}`]);
});
