import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdminSocketUnavailable } from '../../../../handlers/haproxy/admin-socket.ts';
import { ReloadError, reloadHaproxy, ReloadOwed } from '../../../../handlers/haproxy/reload.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { fakeRun, tempDir } from '../../../fakes.ts';

const RELOAD = 's6-svc -2 /run/service/haproxy';

async function place(t: Parameters<typeof tempDir>[0]) {
  const dir = await tempDir(t);
  const settings = { reloadCmd: RELOAD, stateFile: join(dir, 'server-state') };
  return { dir, settings, owed: new ReloadOwed(join(dir, 'haproxy.cfg.reload-owed')) };
}

test('the owed mark is set, seen and cleared; clearing what is not set is no error', async (t) => {
  const { owed } = await place(t);
  assert.equal(await owed.isSet(), false);
  await owed.clear();
  await owed.mark();
  assert.equal(await owed.isSet(), true);
  await owed.clear();
  assert.equal(await owed.isSet(), false);
});

test('a successful reload runs the command and leaves nothing owed', async (t) => {
  const { dir, settings, owed } = await place(t);
  const run = fakeRun();
  await reloadHaproxy(settings, owed, run, undefined);
  assert.deepEqual(run.calls, [{ commandLine: RELOAD, args: [] }]);
  assert.equal(await owed.isSet(), false);
  assert.deepEqual(await readdir(dir), [], 'no HAProxy to ask: no state file either');
});

test('the reload is owed while its command runs, so a crash mid-reload is retried', async (t) => {
  const { settings, owed } = await place(t);
  let owedDuring: boolean | undefined;
  await reloadHaproxy(settings, owed, async () => {
    owedDuring = await owed.isSet();
    return { code: 0, stdout: '', output: '' };
  }, undefined);
  assert.equal(owedDuring, true);
  assert.equal(await owed.isSet(), false);
});

test("the running HAProxy's server state is saved for the new worker before the reload command runs", async (t) => {
  const { settings, owed } = await place(t);
  const fake = new FakeRuntime([{ backend: 'webapps', name: 'web1', address: '10.0.0.5', port: 3000, weight: 4 }]);
  let savedBefore = '';
  await reloadHaproxy(settings, owed, async () => {
    savedBefore = await readFile(settings.stateFile, 'utf8');
    return { code: 0, stdout: '', output: '' };
  }, fake.command);
  assert.deepEqual(fake.commands, ['show servers state']);
  assert.equal(savedBefore, await fake.command('show servers state'));
  assert.match(savedBefore, /^3 webapps 1 web1 10\.0\.0\.5 2 0 4 /m);
});

test('no HAProxy on the admin socket: nothing to save, the reload still runs', async (t) => {
  const { dir, settings, owed } = await place(t);
  const run = fakeRun();
  await reloadHaproxy(settings, owed, run, async () => {
    throw new AdminSocketUnavailable('admin socket /x: ECONNREFUSED');
  });
  assert.equal(run.calls.length, 1);
  assert.deepEqual(await readdir(dir), []);
});

test('an admin socket that fails otherwise stops the reload, which stays owed', async (t) => {
  const { settings, owed } = await place(t);
  const run = fakeRun();
  await assert.rejects(reloadHaproxy(settings, owed, run, async () => {
    throw new Error('no answer within 5000 ms');
  }), /no answer within 5000 ms/);
  assert.deepEqual(run.calls, []);
  assert.equal(await owed.isSet(), true);
});

test('a failed reload throws a one-line ReloadError and stays owed for the next run', async (t) => {
  const { dir, settings, owed } = await place(t);
  const run = fakeRun(() => ({ code: 111, output: 's6-svc: fatal: unable to control /run/service/haproxy: supervisor not listening\n' }));
  await assert.rejects(reloadHaproxy(settings, owed, run, undefined), (error: unknown) => {
    assert.ok(error instanceof ReloadError);
    assert.equal(
      error.message,
      "reload command 's6-svc -2 /run/service/haproxy' failed (exit 111): s6-svc: fatal: unable to control /run/service/haproxy: supervisor not listening; will retry on the next run",
    );
    return true;
  });
  assert.equal(await owed.isSet(), true);
  assert.deepEqual(await readdir(dir), ['haproxy.cfg.reload-owed']);
});

test('the next successful reload clears what a failed one left owed', async (t) => {
  const { settings, owed } = await place(t);
  await assert.rejects(reloadHaproxy(settings, owed, fakeRun(() => ({ code: 1 })), undefined), ReloadError);
  await reloadHaproxy(settings, owed, fakeRun(), undefined);
  assert.equal(await owed.isSet(), false);
});
