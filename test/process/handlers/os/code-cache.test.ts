// The shipped handlers with V8's code cache beside them: a run writes it, the
// next runs use it as it is, and one V8 refuses or whose copies differ is
// replaced without the run noticing. On a copy of bundle/handlers, so the
// committed folder and the tests running beside this one are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../../fakes.ts';

const bundleDir = join(process.cwd(), 'bundle', 'handlers');
const HEADER = 'serf-haproxy-autoscale code cache 3\n'.length + 8;

test('a run leaves a code cache, the next runs use it untouched, and one V8 refuses or a torn one is replaced', async (t) => {
  const dir = await tempDir(t);
  const handlers = join(dir, 'handlers');
  await mkdir(handlers);
  for (const file of (await readdir(bundleDir)).filter((f) => f.endsWith('.cjs'))) await copyFile(join(bundleDir, file), join(handlers, file));
  await writeFile(join(dir, 'haproxy.cfg.hbs'), 'backend webapps\n{{#each servers}}\n    server {{name}} {{hostport}}\n{{/each}}\n');
  const cache = join(handlers, 'shared.cjs.cache');
  const render = () => {
    const args = ['--nodes-dir', join(dir, 'nodes'), '--template', join(dir, 'haproxy.cfg.hbs'), '--config', join(dir, 'haproxy.cfg'), '--check-cmd', 'true', '--reload-cmd', 'true', '--admin-socket', 'none', '--template-cache', join(dir, 'template-cache.json'), '--state-file', join(dir, 'state')];
    const run = spawnSync(process.execPath, [join(handlers, 'render.cjs'), ...args], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.equal(run.status, 0, `render exited ${run.status} (signal ${run.signal}): ${run.stderr}`);
    assert.match(run.stderr, /msg=done/);
  };

  /** Runs once over a bad cache, which must be written anew, then once more, which must leave the new one as it is. */
  const usedAsItIs = async (bad: Buffer | undefined, what: string) => {
    render();
    const fresh = await readFile(cache);
    if (bad) assert.ok(!fresh.equals(bad), `${what} is written anew`);
    render();
    assert.ok((await readFile(cache)).equals(fresh), `after ${what}, the next run uses the new cache as it is`);
  };

  await usedAsItIs(undefined, 'no cache');
  const made = await readFile(cache);

  // V8's version hash (the second word of its bytes) changed in both copies: as if another Node made it.
  const sourceLength = made.readUInt32LE(HEADER - 8);
  const dataLength = made.readUInt32LE(HEADER - 4);
  const foreign = Buffer.from(made);
  for (const copy of [0, 1]) foreign[HEADER + sourceLength + copy * dataLength + 4]! ^= 0xff;
  await writeFile(cache, foreign);
  await usedAsItIs(foreign, 'a cache V8 refused');

  // One flipped bit in one copy of V8's bytes: V8 itself would crash on it.
  const torn = Buffer.from(made);
  torn[torn.length - 100]! ^= 0x01;
  await writeFile(cache, torn);
  await usedAsItIs(torn, 'a cache whose copies differ');
  assert.deepEqual((await readdir(handlers)).filter((f) => !f.endsWith('.cjs')), ['shared.cjs.cache'], 'no temp file left');
});
