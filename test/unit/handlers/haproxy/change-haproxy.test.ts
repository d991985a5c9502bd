import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdminSocketUnavailable } from '../../../../handlers/haproxy/admin-socket.ts';
import { changeRunningHaproxy } from '../../../../handlers/haproxy/change-haproxy.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';

const config = (inter: string, ...servers: string[]) => `global\n    maxconn 100\n\nbackend webapps\n    default-server check inter ${inter}\n${servers.map((s) => `    server ${s}\n`).join('')}`;
const target = { backend: 'webapps', removal: 'drain' as const, drainMs: 100 };

test('only servers changed: the runtime API adds them, no reload', async () => {
  const fake = new FakeRuntime();
  const outcome = await changeRunningHaproxy(config('1s', 'web1 10.0.0.5:3000'), config('1s'), target, fake.command);
  assert.deepEqual(outcome, { path: 'runtime', result: { added: 1, removed: 0, reweighted: 0, cut: 0 } });
  assert.deepEqual(fake.names(), ['web1']);
});

test('each server is added in one line of commands, and leavers are drained 50 to a line', async () => {
  const fake = new FakeRuntime();
  const names = Array.from({ length: 120 }, (_, i) => `web${i}`);
  const lines = names.map((n, i) => `${n} 10.0.${i >> 8}.${(i & 255) + 1}:3000`);
  await changeRunningHaproxy(config('1s', ...lines.slice(0, 2)), config('1s'), target, fake.command);
  assert.deepEqual(fake.lines.slice(1), [
    'add server webapps/web0 10.0.0.1:3000 check inter 1s; enable health webapps/web0; enable server webapps/web0',
    'add server webapps/web1 10.0.0.2:3000 check inter 1s; enable health webapps/web1; enable server webapps/web1',
  ]);
  await changeRunningHaproxy(config('1s', ...lines), config('1s', ...lines.slice(0, 2)), target, fake.command);
  assert.equal(fake.names().length, 120);
  fake.lines.length = 0;
  await changeRunningHaproxy(config('1s'), config('1s', ...lines), target, fake.command);
  const drains = fake.lines.filter((l) => l.includes('state drain'));
  assert.deepEqual(drains.map((l) => l.split('; ').length), [50, 50, 20]);
  assert.deepEqual(fake.names(), []);
});

test('a change outside the server lines needs a reload, and the runtime is left alone', async () => {
  const fake = new FakeRuntime();
  const outcome = await changeRunningHaproxy(config('2s', 'web1 10.0.0.5:3000'), config('1s'), target, fake.command);
  assert.deepEqual(outcome, { path: 'reload', reason: 'the config changed outside its server lines' });
  assert.deepEqual(fake.commands, []);
});

test("a server argument with ';' never reaches the CLI, where it would end the command", async () => {
  const fake = new FakeRuntime();
  const outcome = await changeRunningHaproxy(config('1s', 'web1 10.0.0.5:3000 cookie a;del'), config('1s'), target, fake.command);
  assert.equal(outcome.path, 'reload');
  assert.deepEqual(fake.commands, []);
});

test("a '\\' in a server's own arguments or in the backend's default-server ones takes the reload too", async () => {
  const fake = new FakeRuntime();
  assert.equal((await changeRunningHaproxy(config('1s', 'web1 10.0.0.5:3000 cookie a\\b'), config('1s'), target, fake.command)).path, 'reload');
  assert.equal((await changeRunningHaproxy(config('1s;x', 'web1 10.0.0.5:3000'), config('1s;x'), target, fake.command)).path, 'reload');
  assert.deepEqual(fake.commands, []);
});

test('no HAProxy on the socket, or no installed config yet: the runtime is not in play', async () => {
  const gone = async () => {
    throw new AdminSocketUnavailable('admin socket /x: ENOENT');
  };
  assert.deepEqual(await changeRunningHaproxy(config('1s'), config('1s'), target, gone), { path: 'unavailable', reason: 'admin socket /x: ENOENT' });
  assert.equal((await changeRunningHaproxy(config('1s'), undefined, target, new FakeRuntime().command)).path, 'unavailable');
});

test('a refused command falls back to the reload, with HAProxy\'s answer as the reason', async () => {
  const fake = new FakeRuntime();
  fake.refusals.set('add server', 'Invalid address.');
  const outcome = await changeRunningHaproxy(config('1s', 'web1 10.0.0.5:3000'), config('1s'), target, fake.command);
  assert.equal(outcome.path, 'reload');
  assert.match(outcome.path === 'reload' ? outcome.reason : '', /runtime API refused: 'add server webapps\/web1 10\.0\.0\.5:3000 check inter 1s; enable health webapps\/web1; enable server webapps\/web1': Invalid address\./);
});
