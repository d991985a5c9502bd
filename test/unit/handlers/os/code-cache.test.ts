import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadWithCodeCache } from '../../../../handlers/os/code-cache.ts';
import { tempDir } from '../../../fakes.ts';

const CODE = `const { join } = require('node:path');\nexports.answer = (n) => n * 2;\nexports.where = join(__dirname, 'x');\nexports.file = __filename;\n`;

async function bundle(t: import('node:test').TestContext, code = CODE): Promise<{ dir: string; file: string; load: () => ReturnType<typeof loadWithCodeCache> }> {
  const dir = await tempDir(t);
  const file = join(dir, 'shared.cjs');
  await writeFile(file, code);
  return { dir, file, load: () => loadWithCodeCache(file, createRequire(file)) };
}

test('a first load compiles and saves a cache; the next load uses it, with the same exports', async (t) => {
  const { dir, file, load } = await bundle(t);
  const first = load();
  assert.equal(first.cache, 'missing');
  assert.equal((first.exports as { answer: (n: number) => number }).answer(21), 42);
  assert.equal(first.save(), true);
  assert.deepEqual((await readdir(dir)).sort(), ['shared.cjs', 'shared.cjs.cache']);
  const second = load();
  assert.equal(second.cache, 'used');
  const exports = second.exports as { answer: (n: number) => number; where: string; file: string };
  assert.equal(exports.answer(4), 8);
  assert.equal(exports.where, join(dir, 'x'));
  assert.equal(exports.file, file);
});

test('a cache made from other source of the very same length is not used (V8 would check the length only)', async (t) => {
  const { file, load } = await bundle(t);
  load().save();
  const changed = CODE.replace('n * 2', 'n * 3');
  assert.equal(changed.length, CODE.length);
  await writeFile(file, changed);
  const loaded = load();
  assert.equal(loaded.cache, 'missing');
  assert.equal((loaded.exports as { answer: (n: number) => number }).answer(2), 6);
  loaded.save();
  assert.equal(load().cache, 'used');
});

test('a torn or foreign cache file is ignored and replaced', async (t) => {
  const { file, load } = await bundle(t);
  load().save();
  const good = await readFile(`${file}.cache`);
  for (const junk of [Buffer.alloc(0), Buffer.from('not a cache'), good.subarray(0, 40), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])]), Buffer.from(good.toString('latin1').replace('cache 3', 'cache 2'), 'latin1')]) {
    await writeFile(`${file}.cache`, junk);
    const loaded = load();
    assert.equal(loaded.cache, 'missing');
    assert.equal((loaded.exports as { answer: (n: number) => number }).answer(1), 2);
  }
  assert.equal(load().save(), true);
  assert.equal(load().cache, 'used');
});

test('a cache whose two copies of V8\'s bytes differ (one flipped bit, which would crash V8) is ignored and replaced', async (t) => {
  const { file, load } = await bundle(t);
  load().save();
  const cache = await readFile(`${file}.cache`);
  cache[cache.length - 10]! ^= 0x01;
  await writeFile(`${file}.cache`, cache);
  const loaded = load();
  assert.equal(loaded.cache, 'missing');
  assert.equal(loaded.save(), true);
  assert.equal(load().cache, 'used');
});

test('a cache that cannot be written costs nothing but the cache: the load works, no temp file is left', async (t) => {
  const { dir, file, load } = await bundle(t);
  // A folder where the cache would go: the rename fails even for root.
  await mkdir(join(`${file}.cache`, 'inside'), { recursive: true });
  const loaded = load();
  assert.equal(loaded.cache, 'missing');
  assert.equal((loaded.exports as { answer: (n: number) => number }).answer(5), 10);
  assert.equal(loaded.save(), false);
  assert.deepEqual((await readdir(dir)).sort(), ['shared.cjs', 'shared.cjs.cache']);
});
