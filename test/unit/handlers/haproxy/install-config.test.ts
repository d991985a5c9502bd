import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigCheckError, installConfig, readIfExists } from '../../../../handlers/haproxy/install-config.ts';
import { fakeRun, tempDir } from '../../../fakes.ts';

test('a first render is checked as a candidate next to the live config, then installed', async (t) => {
  const dir = await tempDir(t);
  const live = join(dir, 'haproxy.cfg');
  const run = fakeRun();
  assert.equal(await installConfig(live, 'new config\n', await readIfExists(live), 'haproxy -c -f', run), 'installed');
  assert.deepEqual(run.calls, [{ commandLine: 'haproxy -c -f', args: [`${live}.candidate`] }]);
  assert.equal(await readFile(live, 'utf8'), 'new config\n');
  assert.deepEqual(await readdir(dir), ['haproxy.cfg']);
});

test('the check command reads the candidate bytes while the live config is still the old one', async (t) => {
  const dir = await tempDir(t);
  const live = join(dir, 'haproxy.cfg');
  await writeFile(live, 'old\n');
  const seen: string[] = [];
  const check = async (commandLine: string, args: readonly string[] = []) => {
    seen.push(await readFile(args[0]!, 'utf8'), await readFile(live, 'utf8'));
    return { code: 0, stdout: '', output: '' };
  };
  assert.equal(await installConfig(live, 'new\n', await readIfExists(live), 'check', check), 'installed');
  assert.deepEqual(seen, ['new\n', 'old\n']);
  assert.equal(await readFile(live, 'utf8'), 'new\n');
});

test('rendered bytes equal to the live config: no write, no check', async (t) => {
  const dir = await tempDir(t);
  const live = join(dir, 'haproxy.cfg');
  await writeFile(live, 'same\n');
  const run = fakeRun();
  assert.equal(await installConfig(live, 'same\n', await readIfExists(live), 'check', run), 'unchanged');
  assert.deepEqual(run.calls, []);
  assert.deepEqual(await readdir(dir), ['haproxy.cfg']);
});

test('a failed check keeps the last good config, removes the candidate and says why in one line', async (t) => {
  const dir = await tempDir(t);
  const live = join(dir, 'haproxy.cfg');
  await writeFile(live, 'last good\n');
  const run = fakeRun(() => ({ code: 1, output: "[NOTICE] checking\n[ALERT] parsing [haproxy.cfg:3]: unknown keyword 'serverr'\n" }));
  await assert.rejects(installConfig(live, 'broken\n', await readIfExists(live), 'haproxy -c -f', run), (error: unknown) => {
    assert.ok(error instanceof ConfigCheckError);
    assert.equal(
      error.message,
      "candidate config rejected by 'haproxy -c -f' (exit 1): [ALERT] parsing [haproxy.cfg:3]: unknown keyword 'serverr'; last good config kept",
    );
    return true;
  });
  assert.equal(await readFile(live, 'utf8'), 'last good\n');
  assert.deepEqual(await readdir(dir), ['haproxy.cfg']);
});

test('a failed check with no live config yet leaves none', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(installConfig(join(dir, 'haproxy.cfg'), 'broken\n', undefined, 'false', fakeRun(() => ({ code: 2 }))), ConfigCheckError);
  assert.deepEqual(await readdir(dir), []);
});

test('a failed install (the live path is a directory) removes the candidate too', async (t) => {
  const dir = await tempDir(t);
  const live = join(dir, 'haproxy.cfg');
  await writeFile(join(dir, 'other'), '');
  await mkdir(join(live, 'inside'), { recursive: true });
  // No live bytes to read (it is a directory): the install goes as far as the rename, which fails.
  await assert.rejects(installConfig(live, 'x\n', undefined, 'true', fakeRun()));
  assert.deepEqual((await readdir(dir)).sort(), ['haproxy.cfg', 'other']);
});
