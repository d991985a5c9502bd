import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminCommand } from '../../../../handlers/haproxy/admin-socket.ts';
import { AdminSocketUnavailable } from '../../../../handlers/haproxy/admin-socket.ts';
import { Haproxy, type HaproxySettings } from '../../../../handlers/haproxy/haproxy.ts';
import { ConfigCheckError } from '../../../../handlers/haproxy/install-config.ts';
import { ReloadError } from '../../../../handlers/haproxy/reload.ts';
import type { Removal } from '../../../../handlers/haproxy/runtime-commands.ts';
import { createLog } from '../../../../handlers/os/log.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { captureStream, fakeRun, type FakeRun, tempDir } from '../../../fakes.ts';

const config = (inter: string, ...servers: string[]) => `global\n    maxconn 100\n\nbackend webapps\n    default-server check inter ${inter}\n${servers.map((s) => `    server ${s}\n`).join('')}`;
const server = (name: string, address: string) => ({ backend: 'webapps', name, address, port: 3000, weight: 1 });
const exists = (path: string) => access(path).then(() => true, () => false);

interface Setup {
  haproxy: Haproxy;
  settings: HaproxySettings;
  run: FakeRun;
  logs: { text: string };
  owed: string;
}

/** A Haproxy on a temp dir whose live config is `live` (none if undefined), talking to `admin`. */
async function setup(t: TestContext, live: string | undefined, admin: AdminCommand | undefined, options: { run?: FakeRun; settings?: Partial<HaproxySettings> } = {}): Promise<Setup> {
  const dir = await tempDir(t);
  const settings: HaproxySettings = {
    config: join(dir, 'haproxy.cfg'),
    checkCmd: 'haproxy -c -f',
    reloadCmd: 's6-svc -2 /run/service/haproxy',
    stateFile: join(dir, 'server-state'),
    reloadStrategy: 'seamless',
    backend: 'webapps',
    drainMs: 30_000,
    ...options.settings,
  };
  if (live !== undefined) await writeFile(settings.config, live);
  const logs = captureStream();
  const run = options.run ?? fakeRun();
  const haproxy = new Haproxy(settings, run, createLog(logs, 'haproxy'), admin);
  // A drain still held when a test fails must not keep the process alive.
  t.after(() => haproxy.drains?.forgetAll());
  return { haproxy, settings, run, logs, owed: `${settings.config}.reload-owed` };
}

test('only servers changed: the runtime API adds them, the file follows unchecked, no reload', async (t) => {
  const fake = new FakeRuntime();
  const { haproxy, settings, run } = await setup(t, config('1s'), fake.command);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.deepEqual(change, { config: 'installed', runtime: 'applied', added: 1, removed: 0, reweighted: 0, routes: 0, reloaded: false });
  assert.deepEqual(fake.names(), ['web1']);
  assert.equal(fake.servers.get('webapps/web1')?.admin, 'ready');
  assert.deepEqual(run.calls, [], 'neither the check nor the reload ran');
  assert.equal(await readFile(settings.config, 'utf8'), config('1s', 'web1 10.0.0.5:3000'));
});

test('the same config again changes nothing and sends no command but the state read', async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5')]);
  const { haproxy, run } = await setup(t, config('1s', 'web1 10.0.0.5:3000'), fake.command);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.deepEqual(change, { config: 'unchanged', runtime: 'applied', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: false });
  assert.deepEqual(fake.commands, ['show servers state webapps']);
  assert.deepEqual(run.calls, []);
});

test('each server is added in one line of commands, and leavers are drained 50 to a line', async (t) => {
  const fake = new FakeRuntime();
  const { haproxy } = await setup(t, config('1s'), fake.command);
  const lines = Array.from({ length: 120 }, (_, i) => `web${i} 10.0.${i >> 8}.${(i & 255) + 1}:3000`);
  await haproxy.bringTo(config('1s', ...lines.slice(0, 2)));
  assert.deepEqual(fake.lines.slice(1), [
    'add server webapps/web0 10.0.0.1:3000 check inter 1s; enable health webapps/web0; enable server webapps/web0',
    'add server webapps/web1 10.0.0.2:3000 check inter 1s; enable health webapps/web1; enable server webapps/web1',
  ]);
  assert.equal((await haproxy.bringTo(config('1s', ...lines))).added, 118);
  assert.equal(fake.names().length, 120);
  fake.lines.length = 0;
  const change = await haproxy.bringTo(config('1s'));
  assert.equal(change.removed, 120);
  const drains = fake.lines.filter((l) => l.includes('state drain'));
  assert.deepEqual(drains.map((l) => l.split('; ').length), [50, 50, 20]);
  await haproxy.drains!.settled();
  assert.deepEqual(fake.names(), []);
});

test('a change outside the server lines takes a checked reload, and the runtime is left alone', async (t) => {
  const fake = new FakeRuntime();
  const { haproxy, settings, run, logs } = await setup(t, config('1s'), fake.command);
  const change = await haproxy.bringTo(config('2s', 'web1 10.0.0.5:3000'));
  assert.deepEqual(change, { config: 'installed', runtime: 'fallback', reason: 'the config changed outside its server lines', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: true });
  assert.deepEqual(run.calls, [
    { commandLine: 'haproxy -c -f', args: [`${settings.config}.candidate`] },
    { commandLine: 's6-svc -2 /run/service/haproxy', args: [] },
  ]);
  // Only the state the reloaded worker keeps is read; no server is touched.
  assert.deepEqual(fake.commands, ['show servers state']);
  assert.ok(await exists(settings.stateFile), 'the server state is saved for the new worker');
  assert.match(logs.text, /level=warn .*msg="runtime API not used, reloading instead" reason="the config changed outside its server lines"/);
});

test("a server argument with ';' never reaches the CLI, where it would end the command", async (t) => {
  const fake = new FakeRuntime();
  const { haproxy } = await setup(t, config('1s'), fake.command);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000 cookie a;del'));
  assert.equal(change.runtime, 'fallback');
  assert.equal(change.reason, "server web1's line has a character the runtime API would misread");
  assert.equal(change.reloaded, true);
  assert.ok(!fake.commands.some((c) => c.startsWith('add') || c.startsWith('del')), fake.commands.join(' | '));
});

test("a '\\' in a server's own arguments or in the backend's default-server ones takes the reload too", async (t) => {
  const own = new FakeRuntime();
  assert.equal((await (await setup(t, config('1s'), own.command)).haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000 cookie a\\b'))).runtime, 'fallback');
  const defaults = new FakeRuntime();
  assert.equal((await (await setup(t, config('1s;x'), defaults.command)).haproxy.bringTo(config('1s;x', 'web1 10.0.0.5:3000'))).runtime, 'fallback');
  assert.deepEqual([...own.commands, ...defaults.commands], ['show servers state', 'show servers state']);
});

test('no HAProxy on the socket: the config goes in checked, and nothing is reloaded: HAProxy reads it when it starts', async (t) => {
  const gone = async (): Promise<string> => {
    throw new AdminSocketUnavailable('admin socket /x: ENOENT');
  };
  const { haproxy, run } = await setup(t, config('1s'), gone);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.deepEqual(change, { config: 'installed', runtime: 'off', reason: 'admin socket /x: ENOENT', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: false });
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['haproxy -c -f']);
});

test('no installed config yet, no admin socket, or the restart strategy: the runtime is not in play', async (t) => {
  // With an admin socket (the image): no file yet means HAProxy has not started on one, and reads it when it does.
  const first = await setup(t, undefined, new FakeRuntime().command);
  assert.deepEqual(await first.haproxy.bringTo(config('1s')), { config: 'installed', runtime: 'off', reason: 'no installed config yet', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: false });
  assert.deepEqual(first.run.calls.map((c) => c.commandLine), ['haproxy -c -f']);
  // Without one (a run by hand), the reload command is all there is.
  const byHand = await setup(t, undefined, undefined);
  assert.equal((await byHand.haproxy.bringTo(config('1s'))).reloaded, true);
  const noSocket = await setup(t, config('1s'), undefined);
  assert.equal(noSocket.haproxy.drains, undefined);
  assert.equal((await noSocket.haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'))).runtime, 'off');
  const fake = new FakeRuntime();
  const restart = await setup(t, config('1s'), fake.command, { settings: { reloadStrategy: 'restart' } });
  assert.equal(restart.haproxy.drains, undefined);
  assert.equal((await restart.haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'))).runtime, 'off');
  assert.deepEqual(fake.names(), [], 'the restart strategy never adds a server at run time');
  assert.equal(restart.run.calls.length, 2, 'checked, then reloaded');
});

test("a refused command falls back to the reload, with HAProxy's answer as the reason", async (t) => {
  const fake = new FakeRuntime();
  fake.refusals.set('add server', 'Invalid address.');
  const { haproxy, run } = await setup(t, config('1s'), fake.command);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.equal(change.runtime, 'fallback');
  assert.match(change.reason ?? '', /^runtime API refused: 'add server webapps\/web1 10\.0\.0\.5:3000 check inter 1s; enable health webapps\/web1; enable server webapps\/web1': Invalid address\.$/);
  assert.equal(change.reloaded, true);
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['haproxy -c -f', 's6-svc -2 /run/service/haproxy']);
});

test("a 'show servers state' that does not parse falls back to the reload too", async (t) => {
  const fake = new FakeRuntime();
  fake.refusals.set('show servers state webapps', 'Unknown command');
  const change = await (await setup(t, config('1s'), fake.command)).haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.equal(change.runtime, 'fallback');
  assert.match(change.reason ?? '', /^runtime API refused: expected 'show servers state' format 1/);
});

test('a candidate the check rejects is not installed, not reloaded, and owes nothing', async (t) => {
  const run = fakeRun((commandLine) => (commandLine.startsWith('haproxy -c') ? { code: 1, output: '[ALERT] parsing error\n' } : {}));
  const { haproxy, settings, owed } = await setup(t, config('1s'), new FakeRuntime().command, { run });
  await assert.rejects(haproxy.bringTo(config('2s')), ConfigCheckError);
  assert.equal(await readFile(settings.config, 'utf8'), config('1s'));
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['haproxy -c -f']);
  assert.equal(await exists(owed), false);
});

test('a reload that failed stays owed and is retried by the next run, whichever way it goes', async (t) => {
  let reloadWorks = false;
  const run = fakeRun((commandLine) => (commandLine.startsWith('s6-svc') && !reloadWorks ? { code: 111, output: 's6-svc: fatal: supervisor not listening\n' } : {}));
  const fake = new FakeRuntime();
  const { haproxy, settings, owed } = await setup(t, config('1s'), fake.command, { run });
  await assert.rejects(haproxy.bringTo(config('2s')), ReloadError);
  assert.equal(await readFile(settings.config, 'utf8'), config('2s'), 'the checked config is live');
  assert.equal(await exists(owed), true);
  // Still failing: a runtime-only change keeps the debt.
  await assert.rejects(haproxy.bringTo(config('2s', 'web1 10.0.0.5:3000')), ReloadError);
  assert.deepEqual(fake.names(), ['web1'], 'the runtime change went through before the retry');
  assert.equal(await exists(owed), true);
  reloadWorks = true;
  const change = await haproxy.bringTo(config('2s', 'web1 10.0.0.5:3000'));
  assert.deepEqual(change, { config: 'unchanged', runtime: 'applied', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: true });
  assert.equal(await exists(owed), false);
  assert.equal(run.calls.filter((c) => c.commandLine.startsWith('s6-svc')).length, 3);
});

test('an unchanged config with a reload owed, on the reload path, reloads without a check', async (t) => {
  const { haproxy, run, owed } = await setup(t, config('1s'), undefined);
  await writeFile(owed, '');
  const change = await haproxy.bringTo(config('1s'));
  assert.deepEqual(change, { config: 'unchanged', runtime: 'off', reason: undefined, added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: true });
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['s6-svc -2 /run/service/haproxy']);
  assert.equal(await exists(owed), false);
});

test('starting installs the rendered config checked, reloads nothing and clears what was owed', async (t) => {
  const fake = new FakeRuntime();
  const { haproxy, settings, run, owed } = await setup(t, undefined, fake.command);
  await writeFile(owed, '');
  assert.equal(await haproxy.starting(config('1s', 'web1 10.0.0.5:3000')), 'installed');
  assert.deepEqual(run.calls, [{ commandLine: 'haproxy -c -f', args: [`${settings.config}.candidate`] }]);
  assert.equal(await readFile(settings.config, 'utf8'), config('1s', 'web1 10.0.0.5:3000'));
  assert.equal(await exists(owed), false);
  assert.deepEqual(fake.commands, [], 'HAProxy is not running yet: nothing is sent to it');
  assert.equal(await haproxy.starting(config('1s', 'web1 10.0.0.5:3000')), 'unchanged');
});

test("failed members go to maintenance ('maint'), leavers drain, and both are deleted once idle", async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6'), server('web3', '10.0.0.7')]);
  fake.servers.get('webapps/web1')!.inUse = 1;
  fake.servers.get('webapps/web2')!.inUse = 1;
  const { haproxy } = await setup(t, config('1s', 'web1 10.0.0.5:3000', 'web2 10.0.0.6:3000', 'web3 10.0.0.7:3000'), fake.command);
  const removals = new Map<string, Removal>([['web1', 'maint']]);
  const change = await haproxy.bringTo(config('1s', 'web3 10.0.0.7:3000'), removals);
  assert.equal(change.removed, 2);
  assert.equal(fake.servers.get('webapps/web1')?.admin, 'maint');
  assert.equal(fake.servers.get('webapps/web2')?.admin, 'drain');
  assert.deepEqual([...haproxy.drains!.of('webapps').leaving].sort(), ['web1', 'web2']);
  assert.ok(fake.commands.includes('set server webapps/web1 state maint'));
  assert.ok(fake.commands.includes('set server webapps/web2 state drain'));
  fake.servers.get('webapps/web1')!.inUse = 0;
  fake.servers.get('webapps/web2')!.inUse = 0;
  await haproxy.drains!.settled();
  assert.deepEqual(fake.names(), ['web3']);
});

test('a join is applied while another server is still draining: no run waits for a drain', async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5')]);
  fake.servers.get('webapps/web1')!.inUse = 3;
  const { haproxy } = await setup(t, config('1s', 'web1 10.0.0.5:3000'), fake.command);
  assert.equal((await haproxy.bringTo(config('1s'))).removed, 1);
  const join = await haproxy.bringTo(config('1s', 'web2 10.0.0.6:3000'));
  assert.equal(join.added, 1);
  assert.equal(join.removed, 0, 'the drained server is not removed twice');
  // The join is done and the drain is still held by web1's connections.
  assert.deepEqual(fake.names(), ['web1', 'web2']);
  assert.equal(fake.servers.get('webapps/web1')?.admin, 'drain');
  assert.equal(fake.servers.get('webapps/web1')?.inUse, 3, 'no session was cut');
  fake.servers.get('webapps/web1')!.inUse = 0;
  await haproxy.drains!.settled();
  assert.deepEqual(fake.names(), ['web2']);
});

test('a server wanted again while it drains ends up ready, out of the drain, and is not deleted by it', async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  fake.servers.get('webapps/web2')!.inUse = 2;
  const both = config('1s', 'web1 10.0.0.5:3000', 'web2 10.0.0.6:3000');
  const { haproxy } = await setup(t, both, fake.command);
  await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.equal(fake.servers.get('webapps/web2')?.admin, 'drain');
  assert.deepEqual([...haproxy.drains!.of('webapps').leaving], ['web2']);
  await haproxy.bringTo(both);
  assert.equal(fake.servers.get('webapps/web2')?.admin, 'ready');
  assert.deepEqual([...haproxy.drains!.of('webapps').leaving], []);
  await haproxy.drains!.settled();
  assert.deepEqual(fake.names(), ['web1', 'web2']);
  assert.equal(fake.servers.get('webapps/web2')?.admin, 'ready');
  assert.equal(fake.servers.get('webapps/web2')?.inUse, 2, 'its sessions were not cut');
  assert.ok(!fake.commands.includes('del server webapps/web2'));
});

test('a reload forgets the leavers: the new worker never had them, and a wanted one is never deleted from it', async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  fake.servers.get('webapps/web1')!.inUse = 1;
  const { haproxy } = await setup(t, config('1s', 'web1 10.0.0.5:3000', 'web2 10.0.0.6:3000'), fake.command);
  await haproxy.bringTo(config('1s', 'web2 10.0.0.6:3000'));
  assert.deepEqual([...haproxy.drains!.of('webapps').leaving], ['web1']);
  // A template change: the checked reload, and web1 wanted again.
  const change = await haproxy.bringTo(config('2s', 'web1 10.0.0.5:3000', 'web2 10.0.0.6:3000'));
  assert.equal(change.runtime, 'fallback');
  assert.deepEqual([...haproxy.drains!.of('webapps').leaving], []);
  fake.servers.get('webapps/web1')!.inUse = 0;
  await haproxy.drains!.settled();
  assert.ok(!fake.commands.includes('del server webapps/web1'));
});

test('a wanted server its line still lists but left in drain or maintenance is made ready in place', async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  fake.servers.get('webapps/web1')!.admin = 'drain';
  fake.servers.get('webapps/web2')!.admin = 'maint';
  fake.servers.get('webapps/web1')!.inUse = 2;
  const both = config('1s', 'web1 10.0.0.5:3000', 'web2 10.0.0.6:3000');
  const { haproxy } = await setup(t, both, fake.command);
  const change = await haproxy.bringTo(both);
  assert.deepEqual(change, { config: 'unchanged', runtime: 'applied', added: 0, removed: 0, reweighted: 0, routes: 0, reloaded: false });
  assert.deepEqual(fake.commands, ['show servers state webapps', 'set server webapps/web1 state ready', 'set server webapps/web2 state ready']);
  assert.equal(fake.servers.get('webapps/web1')?.inUse, 2, 'no session was cut');
  assert.equal(fake.servers.get('webapps/web2')?.admin, 'ready');
});

test('a running HAProxy that lacks a backend its file names (it started on an older file) is reloaded, though the file stays', async (t) => {
  const lacking: AdminCommand = async (command) => (command.startsWith('show servers state') ? "Can't find backend.\n" : '');
  const { haproxy, run } = await setup(t, config('1s', 'web1 10.0.0.5:3000'), lacking);
  const change = await haproxy.bringTo(config('1s', 'web1 10.0.0.5:3000'));
  assert.equal(change.runtime, 'fallback');
  assert.equal(change.config, 'unchanged');
  assert.equal(change.reloaded, true);
  assert.deepEqual(run.calls.map((c) => c.commandLine), ['s6-svc -2 /run/service/haproxy']);
});
