// The bundled passes (reconcile, render) SIGKILLed at random points, round
// after round, with member sets that change: after each round one clean
// pass must leave a store that parses, a live config that is the render of
// the store, and a HAProxy (a fake reload command recording the sha256 of
// the live config) that last loaded exactly that config; and no pass waits
// long for the lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backend, HA, sandbox, sha256, type Run, type Sandbox, type SerfJsonMember } from './support/handler-sandbox.ts';

const ROUNDS = 150;
const ENTRIES = ['reconcile', 'reconcile', 'render'] as const;
const NAMES = Array.from({ length: 8 }, (_, i) => `web${i}`);
/** A lock wait longer than this means a lock outlived its holder. */
const MAX_CLEAN_RUN_MS = 5000;

/** Seeded, so a failing round can be replayed: KILL_LOOP_SEED=<n>. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Round {
  entry: (typeof ENTRIES)[number];
  members: SerfJsonMember[];
}

function someMembers(next: () => number): SerfJsonMember[] {
  return NAMES.filter(() => next() < 0.5).map((name) => {
    const tags: Record<string, string> = { port: String([3000, 3001, 4000][Math.floor(next() * 3)]) };
    if (next() < 0.25) tags.weight = String(1 + Math.floor(next() * 5));
    return backend(name, `10.0.${Math.floor(next() * 2)}.${1 + NAMES.indexOf(name)}`, tags);
  });
}

async function checkRound(s: Sandbox, round: number, clean: Run): Promise<void> {
  const where = `round ${round}`;
  assert.equal(clean.code, 0, `${where}: clean run failed: ${clean.stderr}`);
  const duration = Number(/duration_ms=(\d+)/.exec(clean.stderr)?.[1]);
  assert.ok(duration < MAX_CLEAN_RUN_MS, `${where}: the clean run took ${duration} ms (a lock left behind?)`);
  const files = await readdir(s.nodes);
  assert.deepEqual(files.filter((f) => f.endsWith('.tmp') || f === '.corrupt'), [], `${where}: debris left: ${files.join(' ')}`);
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    JSON.parse(await readFile(join(s.nodes, file), 'utf8'));
  }
  const rendered = await s.handler('render', '', { flags: { 'dry-run': true } });
  assert.equal(rendered.code, 0, rendered.stderr);
  const live = await readFile(s.config, 'utf8');
  assert.equal(live, rendered.stdout, `${where}: the live config is not the render of the store`);
  assert.equal((await s.reloads()).at(-1), sha256(live), `${where}: HAProxy last loaded another config than the live one`);
}

test(`kill loop: ${ROUNDS} rounds of handlers SIGKILLed at random points`, { timeout: 480_000 }, async (t) => {
  const s = await sandbox(t);
  const seed = Number(process.env.KILL_LOOP_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  t.diagnostic(`seed ${seed}`);
  // A typical run's length bounds the kill delays.
  const started = Date.now();
  await s.setMembers([HA, ...someMembers(next)]);
  await s.handler('reconcile');
  const typicalMs = Math.max(20, Date.now() - started);
  let killed = 0;
  let completed = 0;
  const entriesSeen = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const runs: Round[] = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({ entry: ENTRIES[Math.floor(next() * ENTRIES.length)]!, members: someMembers(next) }));
    // What the agent lists for every pass: ha and the newest set.
    await s.setMembers([HA, ...runs.at(-1)!.members]);
    const results = await Promise.all(runs.map(({ entry }) => {
      entriesSeen.add(entry);
      const killAfterMs = next() < 0.8 ? Math.floor(next() * typicalMs * 1.5) : undefined;
      return s.handler(entry, '', killAfterMs === undefined ? {} : { killAfterMs });
    }));
    for (const r of results) if (r.signal === 'SIGKILL') killed++; else completed++;
    if (runs.some((r) => r.entry === 'render')) {
      // HAProxy's run script renders, then HAProxy starts on the file: a
      // killed render is run again by s6, and the new HAProxy has loaded it.
      const render = await s.handler('render');
      assert.equal(render.code, 0, render.stderr);
      await appendFile(join(s.dir, 'reloads'), `${await s.liveSha()}\n`);
    }
    // A killed run's reload command may still be finishing.
    await sleep(20);
    await checkRound(s, round, await s.handler('reconcile'));
  }
  t.diagnostic(`${killed} runs killed, ${completed} completed, typical run ${typicalMs} ms`);
  assert.deepEqual([...entriesSeen].sort(), [...new Set(ENTRIES)].sort());
  assert.ok(killed >= ROUNDS / 2, `${killed} runs killed`);
});
