import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { isReloadPending, pendingMarker, ReloadError, reloadHaproxy } from '../../../../handlers/haproxy/reload-haproxy.ts';
import { fakeRun, tempDir } from '../../../fakes.ts';

test('a successful reload runs the command and leaves no marker', async (t) => {
  const dir = await tempDir(t);
  const run = fakeRun();
  await reloadHaproxy('s6-svc -2 /run/service/haproxy', dir, run);
  assert.deepEqual(run.calls, [{ commandLine: 's6-svc -2 /run/service/haproxy', args: [] }]);
  assert.equal(await isReloadPending(dir), false);
  assert.deepEqual(await readdir(dir), []);
});

test('the marker exists while the reload command runs, so a crash mid-reload is retried', async (t) => {
  const dir = await tempDir(t);
  let pendingDuring: boolean | undefined;
  await reloadHaproxy('reload', dir, async () => {
    pendingDuring = await isReloadPending(dir);
    return { code: 0, stdout: '', output: '' };
  });
  assert.equal(pendingDuring, true);
});

test('a failed reload throws a one-line ReloadError and leaves the marker for the next run', async (t) => {
  const dir = await tempDir(t);
  const run = fakeRun(() => ({ code: 111, output: 's6-svc: fatal: unable to control /run/service/haproxy: supervisor not listening\n' }));
  await assert.rejects(reloadHaproxy('s6-svc -2 /run/service/haproxy', dir, run), (error: unknown) => {
    assert.ok(error instanceof ReloadError);
    assert.equal(
      error.message,
      "reload command 's6-svc -2 /run/service/haproxy' failed (exit 111): s6-svc: fatal: unable to control /run/service/haproxy: supervisor not listening; will retry on the next event",
    );
    return true;
  });
  assert.equal(await isReloadPending(dir), true);
  assert.deepEqual(await readdir(dir), ['.reload-pending']);
});

test('the next successful reload clears a pending marker', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(reloadHaproxy('reload', dir, fakeRun(() => ({ code: 1 }))), ReloadError);
  await reloadHaproxy('reload', dir, fakeRun());
  assert.equal(await isReloadPending(dir), false);
});

test('the marker is a dot file in the nodes directory, never read as a backend', () => {
  assert.equal(pendingMarker('/nodes'), '/nodes/.reload-pending');
});
