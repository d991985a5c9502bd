import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServersState } from '../../../../handlers/haproxy/runtime-state.ts';
import { serverLines } from '../../../../handlers/haproxy/server-lines.ts';
import { applyRuntime, planRuntime, RuntimeCommandError, runningServers } from '../../../../handlers/haproxy/sync-runtime.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';

const config = (...servers: string[]) => `backend webapps\n    default-server check inter 1s\n${servers.map((s) => `    server ${s}\n`).join('')}`;
const settings = { backend: 'webapps', removal: 'drain' as const, drainMs: 1000, pollMs: 1 };

test("'show servers state' is read by column name", async () => {
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 3 }]);
  const [web1] = parseServersState(await fake.command('show servers state webapps'));
  assert.deepEqual(web1, { name: 'web1', address: '10.0.0.5', port: 3000, opState: 2, adminState: 0, weight: 3 });
  assert.throws(() => parseServersState('2\n# x\n'), /format 1/);
});

test('a new server is added with every argument of its line, its checks enabled, then itself enabled', async () => {
  const fake = new FakeRuntime();
  const wanted = serverLines(config('web1 10.0.0.5:3000 weight 2 cookie web1'), 'webapps');
  const changes = planRuntime(wanted, new Map(), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(await applyRuntime(changes, settings, fake.command), { added: 1, removed: 0, reweighted: 0, cut: 0 });
  assert.deepEqual(fake.commands.slice(1), [
    'add server webapps/web1 10.0.0.5:3000 check inter 1s weight 2 cookie web1',
    'enable health webapps/web1',
    'enable server webapps/web1',
  ]);
  assert.equal(fake.servers.get('webapps/web1')?.admin, 'ready');
});

test('the same servers plan nothing; a weight alone is set in place; a new address replaces the server', async () => {
  const fake = new FakeRuntime([
    { backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 1 },
    { backend: 'webapps', name: 'web2', address: '10.0.0.6', port: 3000, weight: 1 },
  ]);
  const filed = serverLines(config('web1 10.0.0.5:3000 weight 1', 'web2 10.0.0.6:3000 weight 1'), 'webapps');
  const running = await runningServers(fake.command, 'webapps');
  assert.deepEqual(planRuntime(filed, filed, running), { add: [], replace: [], reweight: [], remove: [] });
  const changed = planRuntime(serverLines(config('web1 10.0.0.5:3000 weight 5', 'web2 10.0.0.7:3000 weight 1'), 'webapps'), filed, running);
  assert.deepEqual(changed.reweight, [{ name: 'web1', weight: '5' }]);
  assert.deepEqual(changed.replace.map((l) => l.hostport), ['10.0.0.7:3000']);
});

test('a line whose other arguments changed (the template) replaces the server, since the runtime cannot show them', async () => {
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 1 }]);
  const plan = planRuntime(serverLines(config('web1 10.0.0.5:3000 weight 1 cookie web1'), 'webapps'), serverLines(config('web1 10.0.0.5:3000 weight 1'), 'webapps'), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(plan.replace.map((l) => l.name), ['web1']);
});

test('a drained server is deleted once its connections are done, without cutting them', async () => {
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 1 }]);
  fake.servers.get('webapps/web1')!.inUse = 2;
  let polls = 0;
  fake.onPoll = () => {
    if (++polls === 3) fake.servers.get('webapps/web1')!.inUse = 0;
  };
  const result = await applyRuntime({ add: [], replace: [], reweight: [], remove: ['web1'] }, settings, fake.command);
  assert.deepEqual(result, { added: 0, removed: 1, reweighted: 0, cut: 0 });
  assert.equal(fake.commands[0], 'set server webapps/web1 state drain');
  assert.ok(!fake.commands.includes('shutdown sessions server webapps/web1') || polls >= 3);
  assert.deepEqual(fake.names(), []);
});

test('a drain that runs out of time cuts what is left and says how many servers it cut', async () => {
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 1 }]);
  fake.servers.get('webapps/web1')!.inUse = 1;
  const result = await applyRuntime({ add: [], replace: [], reweight: [], remove: ['web1'] }, { ...settings, drainMs: 20 }, fake.command);
  assert.equal(result.cut, 1);
  assert.deepEqual(fake.names(), []);
});

test('a failed member goes to maintenance at once (no new request, sticky or not), then is deleted once idle', async () => {
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 1 }]);
  await applyRuntime({ add: [], replace: [], reweight: [], remove: ['web1'] }, { ...settings, removal: 'maint' }, fake.command);
  assert.deepEqual(fake.commands, ['set server webapps/web1 state maint', 'show servers conn webapps', 'set server webapps/web1 state maint', 'shutdown sessions server webapps/web1', 'del server webapps/web1']);
});

test('a command HAProxy refuses stops the change with its answer', async () => {
  const fake = new FakeRuntime();
  fake.refusals.set('add server', "'server' : unknown keyword 'bogus'");
  const changes = planRuntime(serverLines(config('web1 10.0.0.5:3000 bogus'), 'webapps'), new Map(), []);
  await assert.rejects(applyRuntime(changes, settings, fake.command), (error: unknown) => error instanceof RuntimeCommandError && /unknown keyword 'bogus'/.test(error.message));
});
