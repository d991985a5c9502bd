import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminCommand } from '../../../../handlers/haproxy/admin-socket.ts';
import { Drains, exclusive, type Exclusive } from '../../../../handlers/haproxy/drains.ts';
import { createLog } from '../../../../handlers/os/log.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { captureStream } from '../../../fakes.ts';

const server = (name: string, address: string) => ({ backend: 'webapps', name, address, port: 3000, weight: 1 });

/** Drains over a fake runtime holding `names`, polling every 5 ms; `logs.text` is what it logged. */
function setup(t: TestContext, names: string[], drainMs: number, options: { admin?: AdminCommand; alone?: Exclusive } = {}) {
  const fake = new FakeRuntime(names.map((name, i) => server(name, `10.0.0.${i + 1}`)));
  const logs = captureStream();
  const drains = new Drains(options.admin ?? fake.command, 'webapps', drainMs, options.alone ?? exclusive(), createLog(logs, 'haproxy'), 5);
  t.after(() => drains.cancel([...drains.leaving]));
  return { fake, drains, logs };
}

const polls = (commands: readonly string[]) => commands.filter((c) => c === 'show servers conn webapps').length;

test('an idle leaver is deleted at the first look, without waiting for its time', async (t) => {
  const { fake, drains, logs } = setup(t, ['web1', 'web2'], 30_000);
  await drains.start(['web1'], 'drain');
  assert.deepEqual([...drains.leaving], ['web1']);
  await drains.settled();
  assert.deepEqual(fake.commands, [
    'set server webapps/web1 state drain',
    'show servers conn webapps',
    'set server webapps/web1 state maint',
    'shutdown sessions server webapps/web1',
    'del server webapps/web1',
  ]);
  assert.deepEqual(fake.names(), ['web2']);
  assert.deepEqual([...drains.leaving], []);
  assert.equal(logs.text, '');
});

test('a failed member is put in maintenance, not in drain, before it goes', async (t) => {
  const { fake, drains } = setup(t, ['web1'], 30_000);
  await drains.start(['web1'], 'maint');
  assert.equal(fake.commands[0], 'set server webapps/web1 state maint');
  await drains.settled();
  assert.deepEqual(fake.names(), []);
});

test('a busy leaver waits until its connections are done, and none is cut', async (t) => {
  const { fake, drains, logs } = setup(t, ['web1'], 30_000);
  const web1 = fake.servers.get('webapps/web1')!;
  web1.inUse = 2;
  let seen = 0;
  fake.onPoll = () => {
    if (++seen === 3) web1.inUse = 0;
  };
  await drains.start(['web1'], 'drain');
  assert.equal(web1.admin, 'drain');
  await drains.settled();
  assert.deepEqual(fake.names(), []);
  const deleting = fake.commands.indexOf('set server webapps/web1 state maint');
  assert.equal(polls(fake.commands.slice(0, deleting)), 3, 'deleted at the first look that found it idle');
  assert.equal(logs.text, '', 'no session was cut');
});

test('a leaver still busy after drainMs is deleted with its sessions cut, and a warn line says so', async (t) => {
  const { fake, drains, logs } = setup(t, ['web1'], 50);
  fake.servers.get('webapps/web1')!.inUse = 4;
  await drains.start(['web1'], 'drain');
  await drains.settled();
  assert.deepEqual(fake.names(), []);
  assert.ok(fake.commands.includes('shutdown sessions server webapps/web1'));
  assert.match(logs.text, /^level=warn component=haproxy msg="drain ran out of time: sessions cut" server=web1 connections=4 drain_ms=50\n$/);
});

test('a leaver cancelled (wanted again) is kept, and the watch ends', async (t) => {
  const { fake, drains, logs } = setup(t, ['web1'], 30_000);
  fake.servers.get('webapps/web1')!.inUse = 1;
  await drains.start(['web1'], 'drain');
  drains.cancel(['web1']);
  assert.deepEqual([...drains.leaving], []);
  await drains.settled();
  assert.deepEqual(fake.names(), ['web1']);
  assert.ok(!fake.commands.some((c) => c.startsWith('del server') || c.startsWith('shutdown sessions')), fake.commands.join(' | '));
  assert.equal(logs.text, '');
});

test('settled() resolves once every leaver is gone, those added while it waits too', async (t) => {
  const { fake, drains } = setup(t, ['web1', 'web2', 'web3'], 30_000);
  await drains.settled();
  fake.servers.get('webapps/web1')!.inUse = 1;
  fake.servers.get('webapps/web2')!.inUse = 1;
  let seen = 0;
  fake.onPoll = () => {
    seen++;
    if (seen === 2) void drains.start(['web3'], 'drain');
    if (seen === 4) fake.servers.get('webapps/web1')!.inUse = 0;
    if (seen === 6) fake.servers.get('webapps/web2')!.inUse = 0;
  };
  await drains.start(['web1', 'web2'], 'drain');
  await drains.settled();
  assert.deepEqual(fake.names(), []);
  assert.deepEqual([...drains.leaving], []);
});

test('an admin error gives the drain up with a warn line, and nothing is left leaving', async (t) => {
  const { fake, drains, logs } = setup(t, ['web1', 'web2'], 30_000);
  fake.refusals.set('del server', 'Permission denied.');
  await drains.start(['web1', 'web2'], 'drain');
  await drains.settled();
  assert.deepEqual([...drains.leaving], []);
  assert.deepEqual(fake.names(), ['web1', 'web2']);
  assert.match(logs.text, /^level=warn component=haproxy msg="drain given up; the next run removes what is left" servers="web1,web2" reason="'del server webapps\/web1': Permission denied\."\n$/);
  // A new leaver starts a new watch.
  fake.refusals.clear();
  await drains.start(['web1'], 'drain');
  await drains.settled();
  assert.deepEqual(fake.names(), ['web2']);
});

test('a drain whose start HAProxy refuses throws, and nothing is left leaving', async (t) => {
  const { fake, drains } = setup(t, ['web1'], 30_000);
  fake.refusals.set('set server', 'No such server.');
  await assert.rejects(drains.start(['web1'], 'drain'), /No such server\./);
  assert.deepEqual([...drains.leaving], []);
});

test("a drain's deletes run alone, never between a run's commands", async (t) => {
  const fake = new FakeRuntime([server('web1', '10.0.0.1'), server('web2', '10.0.0.2')]);
  const base = exclusive();
  let inside = 0;
  const alone: Exclusive = (work) => base(async () => {
    inside++;
    try {
      return await work();
    } finally {
      inside--;
    }
  });
  const outside: string[] = [];
  const admin: AdminCommand = (command) => {
    if (command.startsWith('del server') && inside === 0) outside.push(command);
    return fake.command(command);
  };
  const { drains } = setup(t, [], 30_000, { admin, alone });
  await drains.start(['web1', 'web2'], 'drain');
  await drains.settled();
  assert.deepEqual(fake.names(), []);
  assert.deepEqual(outside, []);
});

test('exclusive() runs its works one after another, a failed one not stopping the next', async () => {
  const alone = exclusive();
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const first = alone(async () => {
    order.push('first in');
    await held;
    order.push('first out');
    throw new Error('first failed');
  });
  const second = alone(async () => {
    order.push('second');
    return 2;
  });
  await Promise.resolve();
  release();
  await assert.rejects(first, /first failed/);
  assert.equal(await second, 2);
  assert.deepEqual(order, ['first in', 'first out', 'second']);
});
