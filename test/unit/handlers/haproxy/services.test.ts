// One HAProxy backend per service and a routes map beside the config: what
// the runtime API can do without a reload, and what takes one.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Haproxy } from '../../../../handlers/haproxy/haproxy.ts';
import { renderConfig } from '../../../../handlers/haproxy/render-config.ts';
import { createLog } from '../../../../handlers/os/log.ts';
import type { Server } from '../../../../handlers/pool/server.ts';
import { planServices } from '../../../../handlers/pool/services.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { captureStream, fakeRun, tempDir } from '../../../fakes.ts';

const TEMPLATE = await readFile(join(process.cwd(), 'templates', 'haproxy.cfg.hbs'), 'utf8');
const server = (name: string, address: string, tags: Record<string, string>): Server => ({ name, address, port: 3000, weight: 1, tags: { role: 'backend', ...tags }, updated: '' });

async function setup(t: TestContext, strategy: 'seamless' | 'restart' = 'seamless') {
  const dir = await tempDir(t);
  const fake = new FakeRuntime();
  const run = fakeRun();
  const settings = { config: join(dir, 'haproxy.cfg'), checkCmd: 'check', reloadCmd: 'reload', stateFile: join(dir, 'state'), reloadStrategy: strategy, backend: 'webapps', drainMs: 0 };
  const haproxy = new Haproxy(settings, run, createLog(captureStream(), 'haproxy'), fake.command);
  t.after(() => haproxy.drains?.forgetAll());
  fake.maps.set(haproxy.routesMap, new Map());
  /** Renders `servers` as the pipeline does, and hands it to HAProxy. */
  const bring = async (servers: Server[]) => {
    const live = await haproxy.liveRouting();
    const plan = planServices(servers, haproxy.defaultService, live, false);
    const config = renderConfig(TEMPLATE, servers, { services: plan.services, routesMap: haproxy.routesMap, defaultService: haproxy.defaultService });
    return haproxy.bringTo(config, new Map(), plan.routes);
  };
  return { haproxy, fake, run, bring, settings };
}

test('the template renders one backend per service, each with its check (GET its health path, or TCP), and the frontend names the routes map', () => {
  const servers = [server('a1', '10.0.0.5', { service: 'alpha', hosts: 'a.test', health: '/up' }), server('w1', '10.0.0.6', {})];
  const { services } = planServices(servers, 'webapps', { backends: new Map(), routes: new Map() }, false);
  const config = renderConfig(TEMPLATE, servers, { services, routesMap: '/etc/haproxy/routes.map', defaultService: 'webapps' });
  assert.match(config, /^backend alpha\n(?:.*\n)*?    option httpchk GET \/up\n(?:.*\n)*?    server a1 10.0.0.5:3000 weight 1 cookie a1\n/m);
  const webapps = config.slice(config.indexOf('backend webapps'));
  assert.match(webapps, /^    server w1 10.0.0.6:3000 weight 1 cookie w1$/m);
  assert.doesNotMatch(webapps.slice(0, webapps.indexOf('\n\n')), /httpchk/, 'no health tag: a TCP check');
  assert.match(config, /map_beg\(\/etc\/haproxy\/routes.map\)/);
  assert.match(config, /^    default_backend webapps$/m);
  assert.doesNotMatch(config, /status 404/);
  const notFound = renderConfig(TEMPLATE, servers, { services, routesMap: '/etc/haproxy/routes.map', defaultService: undefined });
  assert.match(notFound, /http-request return status 404 .* unless \{ var\(txn.service\) -m found \}/);
  assert.doesNotMatch(notFound, /default_backend/);
});

test('one service with no route renders as before: the webapps backend is the default, the map empty', () => {
  const config = renderConfig(TEMPLATE, [server('w1', '10.0.0.6', {})]);
  assert.deepEqual(config.split('\n').filter((l) => l.startsWith('backend ')), ['backend webapps']);
});

test('a new service reloads once; its servers and routes, and a route that moves, then go through the runtime API', async (t) => {
  const { fake, run, bring, haproxy } = await setup(t);
  await writeFile(join(haproxy.routesMap, '..', 'haproxy.cfg'), renderConfig(TEMPLATE, []));
  const alpha = server('a1', '10.0.0.5', { service: 'alpha', hosts: 'a.test' });
  const first = await bring([alpha]);
  assert.equal(first.reloaded, true, 'a new backend needs a reload');
  assert.equal(first.runtime, 'fallback');
  assert.equal(await readFile(haproxy.routesMap, 'utf8'), '# Written by the engine from the backends\' tags: host/path prefix, then service.\na.test/ alpha\n');
  // What the reloaded HAProxy now runs.
  fake.maps.set(haproxy.routesMap, new Map([['a.test/', 'alpha']]));
  fake.servers.set('alpha/a1', { backend: 'alpha', name: 'a1', address: '10.0.0.5', port: 3000, weight: 1, args: [], admin: 'ready', health: true, inUse: 0 });
  run.calls.length = 0;
  const more = await bring([alpha, server('a2', '10.0.0.7', { service: 'alpha', hosts: 'a.test,b.test' }), server('a3', '10.0.0.8', { service: 'alpha', path: '/alpha' })]);
  assert.deepEqual({ runtime: more.runtime, added: more.added, routes: more.routes, reloaded: more.reloaded }, { runtime: 'applied', added: 2, routes: 2, reloaded: false });
  assert.deepEqual(Object.fromEntries(fake.maps.get(haproxy.routesMap)!), { 'a.test/': 'alpha', 'b.test/': 'alpha', '/alpha': 'alpha' });
  assert.deepEqual(fake.names('alpha'), ['a1', 'a2', 'a3']);
  assert.deepEqual(run.calls, [], 'no check, no reload');
  // The last member claiming b.test leaves: the route goes, at run time.
  const fewer = await bring([alpha]);
  assert.deepEqual({ runtime: fewer.runtime, removed: fewer.removed, routes: fewer.routes, reloaded: fewer.reloaded }, { runtime: 'applied', removed: 2, routes: 2, reloaded: false });
  assert.deepEqual(Object.fromEntries(fake.maps.get(haproxy.routesMap)!), { 'a.test/': 'alpha' });
  assert.match(await readFile(haproxy.routesMap, 'utf8'), /\na.test\/ alpha\n$/);
  assert.deepEqual(run.calls, []);
});

test('with RELOAD_STRATEGY=restart, a route change alone still reaches HAProxy: by a reload', async (t) => {
  const { run, bring, haproxy } = await setup(t, 'restart');
  const alpha = server('a1', '10.0.0.5', { service: 'alpha', hosts: 'a.test' });
  await bring([alpha]);
  run.calls.length = 0;
  const moved = await bring([{ ...alpha, tags: { ...alpha.tags, hosts: 'b.test' } }]);
  assert.equal(moved.config, 'unchanged');
  assert.equal(moved.reloaded, true);
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['reload']);
  assert.match(await readFile(haproxy.routesMap, 'utf8'), /\nb.test\/ alpha\n$/);
});

test('a pass right after a reload waits for the worker that has the new backend, then goes on at run time', async (t) => {
  const { fake, run, bring, haproxy } = await setup(t);
  await writeFile(join(haproxy.routesMap, '..', 'haproxy.cfg'), renderConfig(TEMPLATE, []));
  const alpha = server('a1', '10.0.0.5', { service: 'alpha', hosts: 'a.test' });
  assert.equal((await bring([alpha])).reloaded, true);
  // The old worker still answers the socket: it never had alpha.
  fake.refusals.set('show servers state alpha', "Can't find backend.");
  setTimeout(() => fake.refusals.delete('show servers state alpha'), 250);
  run.calls.length = 0;
  const next = await bring([alpha, server('a2', '10.0.0.7', { service: 'alpha', hosts: 'a.test' })]);
  assert.deepEqual({ runtime: next.runtime, added: next.added, reloaded: next.reloaded }, { runtime: 'applied', added: 2, reloaded: false });
  assert.deepEqual(run.calls, [], 'no second reload');
  assert.ok(fake.commands.filter((c) => c === 'show servers state alpha').length > 1, 'asked again');
});
