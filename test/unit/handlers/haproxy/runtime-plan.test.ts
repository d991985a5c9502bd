import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEmpty, planRuntime } from '../../../../handlers/haproxy/runtime-plan.ts';
import { addServer, deleteServer, RuntimeCommandError, runningServers, setState, setWeights } from '../../../../handlers/haproxy/runtime-commands.ts';
import { parseServersState } from '../../../../handlers/haproxy/runtime-state.ts';
import { serverLines } from '../../../../handlers/haproxy/server-lines.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';

const config = (...servers: string[]) => `backend webapps\n    default-server check inter 1s\n${servers.map((s) => `    server ${s}\n`).join('')}`;
const lines = (...servers: string[]) => serverLines(config(...servers), 'webapps');
const server = (name: string, address: string, weight = 1) => ({ backend: 'webapps', name, address, port: 3000, weight });

test("'show servers state' is read by column name", async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5', 3)]);
  const [web1] = parseServersState(await fake.command('show servers state webapps'));
  assert.deepEqual(web1, { name: 'web1', address: '10.0.0.5', port: 3000, opState: 2, adminState: 0, weight: 3 });
  assert.throws(() => parseServersState('2\n# x\n'), /format 1/);
});

test('a new server is planned as an add, and added with every argument of its line, its checks enabled, then itself enabled', async () => {
  const fake = new FakeRuntime();
  const changes = planRuntime(lines('web1 10.0.0.5:3000 weight 2 cookie web1'), new Map(), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(changes.add.map((l) => l.name), ['web1']);
  assert.equal(isEmpty(changes), false);
  await addServer(fake.command, 'webapps', changes.add[0]!);
  assert.deepEqual(fake.commands.slice(1), [
    'add server webapps/web1 10.0.0.5:3000 check inter 1s weight 2 cookie web1',
    'enable health webapps/web1',
    'enable server webapps/web1',
  ]);
  assert.equal(fake.servers.get('webapps/web1')?.admin, 'ready');
  assert.equal(fake.servers.get('webapps/web1')?.weight, 2);
});

test('the same servers plan nothing; a weight alone is set in place; a new address replaces the server', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  const filed = lines('web1 10.0.0.5:3000 weight 1', 'web2 10.0.0.6:3000 weight 1');
  const running = await runningServers(fake.command, 'webapps');
  const same = planRuntime(filed, filed, running);
  assert.deepEqual(same, { add: [], replace: [], reweight: [], ready: [], remove: [] });
  assert.equal(isEmpty(same), true);
  const changed = planRuntime(lines('web1 10.0.0.5:3000 weight 5', 'web2 10.0.0.7:3000 weight 1'), filed, running);
  assert.deepEqual(changed.reweight, [{ name: 'web1', weight: '5' }]);
  assert.deepEqual(changed.replace.map((l) => l.hostport), ['10.0.0.7:3000']);
  assert.deepEqual(changed.add, []);
  assert.deepEqual(changed.remove, []);
});

test('a line with no weight wants weight 1, as HAProxy reads it', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5', 4)]);
  const plan = planRuntime(lines('web1 10.0.0.5:3000'), lines('web1 10.0.0.5:3000 weight 4'), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(plan.reweight, [{ name: 'web1', weight: '1' }]);
  assert.deepEqual(plan.replace, []);
});

test('a line whose other arguments changed (the template) replaces the server, since the runtime cannot show them', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5')]);
  const plan = planRuntime(lines('web1 10.0.0.5:3000 weight 1 cookie web1'), lines('web1 10.0.0.5:3000 weight 1'), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(plan.replace.map((l) => l.name), ['web1']);
});

test('a running server the last file does not list is replaced: its arguments are unknown', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5')]);
  const plan = planRuntime(lines('web1 10.0.0.5:3000'), new Map(), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(plan.replace.map((l) => l.name), ['web1']);
});

test('a running server no longer wanted is removed', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  const plan = planRuntime(lines('web1 10.0.0.5:3000'), lines('web1 10.0.0.5:3000', 'web2 10.0.0.6:3000'), await runningServers(fake.command, 'webapps'));
  assert.deepEqual(plan.remove, ['web2']);
});

test('a wanted server left in maintenance or drain admin state is made ready again (F1)', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6'), server('web3', '10.0.0.7')]);
  fake.servers.get('webapps/web1')!.admin = 'maint';
  fake.servers.get('webapps/web2')!.admin = 'drain';
  const wanted = lines('web1 10.0.0.5:3000', 'web2 10.0.0.6:3000', 'web3 10.0.0.7:3000');
  const running = await runningServers(fake.command, 'webapps');
  assert.deepEqual(running.map((s) => s.adminState), [1, 8, 0]);
  const plan = planRuntime(wanted, wanted, running);
  assert.deepEqual(plan, { add: [], replace: [], reweight: [], ready: ['web1', 'web2'], remove: [] });
  assert.equal(isEmpty(plan), false);
});

test('admin state bits other than forced maintenance and drain leave a server as it is', () => {
  const wanted = lines('web1 10.0.0.5:3000');
  // 0x20: maintenance from a DNS resolution, not ours to clear.
  const plan = planRuntime(wanted, wanted, [{ name: 'web1', address: '10.0.0.5', port: 3000, opState: 2, adminState: 0x20, weight: 1 }]);
  assert.equal(isEmpty(plan), true);
});

test('a name still leaving is not removed twice, and is made ready if it is wanted again', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5'), server('web2', '10.0.0.6')]);
  const running = await runningServers(fake.command, 'webapps');
  const filed = lines('web1 10.0.0.5:3000', 'web2 10.0.0.6:3000');
  assert.deepEqual(planRuntime(new Map(), filed, running, new Set(['web1'])).remove, ['web2']);
  assert.deepEqual(planRuntime(new Map(), filed, running, new Set(['web1', 'web2'])).remove, []);
  const back = planRuntime(lines('web1 10.0.0.5:3000'), filed, running, new Set(['web1']));
  assert.deepEqual(back.ready, ['web1']);
  assert.deepEqual(back.remove, ['web2']);
});

test('weights and states go 50 commands to a line', async () => {
  const fake = new FakeRuntime(Array.from({ length: 60 }, (_, i) => server(`web${i}`, `10.0.0.${i + 1}`)));
  const names = fake.names();
  await setWeights(fake.command, 'webapps', names.map((name) => ({ name, weight: '7' })));
  await setState(fake.command, 'webapps', names, 'drain');
  assert.deepEqual(fake.lines.map((l) => l.split('; ').length), [50, 10, 50, 10]);
  assert.ok([...fake.servers.values()].every((s) => s.weight === 7 && s.admin === 'drain'));
});

test('a server is deleted from maintenance with its sessions ended first', async () => {
  const fake = new FakeRuntime([server('web1', '10.0.0.5')]);
  fake.servers.get('webapps/web1')!.inUse = 1;
  await deleteServer(fake.command, 'webapps', 'web1');
  assert.deepEqual(fake.lines, ['set server webapps/web1 state maint; shutdown sessions server webapps/web1', 'del server webapps/web1']);
  assert.deepEqual(fake.names(), []);
});

test('a command HAProxy refuses throws its answer', async () => {
  const fake = new FakeRuntime();
  fake.refusals.set('add server', "'server' : unknown keyword 'bogus'");
  const changes = planRuntime(lines('web1 10.0.0.5:3000 bogus'), new Map(), []);
  await assert.rejects(addServer(fake.command, 'webapps', changes.add[0]!), (error: unknown) => error instanceof RuntimeCommandError && /unknown keyword 'bogus'/.test(error.message));
  await assert.rejects(deleteServer(fake.command, 'webapps', 'nobody'), /No such server\./);
});
