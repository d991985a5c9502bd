import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigWatch } from '../../../../../bench/cluster/watch/config-watch.ts';

const config = (...servers: string[]): string =>
  ['global', '    log stdout format raw local0 notice', 'backend webapps', '    default-server check', ...servers.map((s) => `    server ${s} 10.0.0.1:3000 weight 1`), 'listen stats', '    bind :1936'].join('\n');

async function install(path: string, text: string): Promise<void> {
  await writeFile(`${path}.new`, text);
  await rename(`${path}.new`, path);
}

test('the webapps servers of a haproxy.cfg replaced by rename, each change once, and a missing file is no reading', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'config-watch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'haproxy.cfg');
  await install(path, config('a', 'b'));
  const watch = await ConfigWatch.watchFile(path);
  t.after(() => watch.stop());
  const since = Date.now();
  await install(path, config('a', 'b', 'c'));
  await watch.added('c', since, 5_000);
  await rm(path);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await install(path, config('c'));
  await watch.exactly(['c'], since, 5_000);
  assert.deepEqual(watch.history.samples.map((s) => [...s.state]), [['a', 'b'], ['a', 'b', 'c'], ['c']]);
});
