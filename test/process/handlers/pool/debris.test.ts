// What killed runs and odd writers leave in the nodes folder is cleared by
// the next run: temp files of dead runs go, a corrupt file is moved aside
// once and named in one log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, utimes, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { backend, HA, sandbox, type Sandbox } from '../../support/handler-sandbox.ts';

/** A pass over what the agent lists: ha and these backends. */
async function pass(s: Sandbox, ...names: string[]) {
  await s.setMembers([HA, ...names.map((name, i) => backend(name, `10.0.0.${4 + i + 1}`))]);
  return s.handler('reconcile');
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

test('temp files of dead runs, or older than a minute, are removed; a live run\'s fresh one is kept', async (t) => {
  const s = await sandbox(t);
  await pass(s, 'web1');
  const dead = `.web9.json.${deadPid()}.1.tmp`;
  const old = `.web8.json.${process.pid}.3.tmp`;
  const live = `.web7.json.${process.pid}.4.tmp`;
  for (const file of [dead, old, live]) await writeFile(join(s.nodes, file), '{');
  const minutesAgo = new Date(Date.now() - 5 * 60_000);
  await utimes(join(s.nodes, old), minutesAgo, minutesAgo);
  const run = await pass(s, 'web1', 'web2');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), [live, 'web1.json', 'web2.json']);
});

test('a corrupt node file is moved aside once, with one log line, and never warned about again', async (t) => {
  const s = await sandbox(t);
  await mkdir(s.nodes, { recursive: true });
  await writeFile(join(s.nodes, 'bad.json'), '{"name": "bad", "addr');
  const first = await pass(s, 'web1');
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr.match(/bad\.json/g)?.length, 1, first.stderr);
  assert.match(first.stderr, /level=warn .*msg="nodes file moved aside" file=bad\.json/);
  assert.deepEqual(await s.nodeFiles(), ['.corrupt', 'web1.json']);
  assert.equal(await readFile(join(s.nodes, '.corrupt', 'bad.json'), 'utf8'), '{"name": "bad", "addr');
  const second = await pass(s, 'web1', 'web2');
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /bad\.json|level=warn/);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
});
