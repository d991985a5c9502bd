import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempPathFor, writeFileAtomic, writeFileSynced } from '../../../../handlers/os/atomic-write.ts';
import { tempDir } from '../../../fakes.ts';

test('the temp path is a hidden file in the same directory', () => {
  const temp = tempPathFor('/nodes/web1.json');
  assert.equal(dirname(temp), '/nodes');
  assert.match(temp, /^\/nodes\/\.web1\.json\.\d+\.\d+\.tmp$/);
  assert.notEqual(tempPathFor('/nodes/web1.json'), temp);
});

test('writes the bytes and leaves no temp file behind', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'web1.json');
  await writeFileAtomic(path, 'first\n');
  await writeFileAtomic(path, 'second\n');
  assert.equal(await readFile(path, 'utf8'), 'second\n');
  assert.deepEqual(await readdir(dir), ['web1.json']);
});

test('sets the mode even when the file already existed with another', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'cfg');
  await writeFile(path, 'old', { mode: 0o600 });
  await writeFileAtomic(path, 'new', 0o644);
  assert.equal((await stat(path)).mode & 0o777, 0o644);
});

test('a failed rename removes the temp file and keeps the old target', async (t) => {
  const dir = await tempDir(t);
  // A non-empty directory in the way: rename fails with EISDIR or ENOTEMPTY.
  await mkdir(join(dir, 'target', 'inside'), { recursive: true });
  await assert.rejects(writeFileAtomic(join(dir, 'target'), 'x'));
  assert.deepEqual(await readdir(dir), ['target']);
});

test('a failed write removes the temp file', async (t) => {
  const dir = await tempDir(t);
  // Data that cannot be written fails after the temp file was opened, like a full disk would.
  await assert.rejects(writeFileAtomic(join(dir, 'web1.json'), Symbol('not data') as unknown as string));
  assert.deepEqual(await readdir(dir), []);
});

test('writeFileSynced writes in place with the given mode', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'candidate');
  await writeFileSynced(path, 'bytes', 0o640);
  assert.equal(await readFile(path, 'utf8'), 'bytes');
  assert.equal((await stat(path)).mode & 0o777, 0o640);
});
