import { readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isatty } from 'node:tty';
import type { Writable } from 'node:stream';
import { changesFor, desiredSet, type EntryName, type Verdict } from './changes.ts';
import { installConfig } from './live-config.ts';
import { withLock } from './lock.ts';
import { createLog, type Log } from './log.ts';
import { applyChanges, readStore, saveStore } from './nodes-store.ts';
import { HelpRequested, type Options, parseOptions, usage, UsageError } from './options.ts';
import { parseMemberLines } from './parse-members.ts';
import { isReloadPending, reloadHaproxy } from './reload-haproxy.ts';
import { renderConfig } from './render-config.ts';
import { runCommand, type RunCommand } from './run-command.ts';
import { listAliveMembers } from './serf-members.ts';

/** Everything a run touches outside the nodes directory and the config files, so tests can pass their own. */
export interface Io {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  stdout: Writable;
  stderr: Writable;
  run: RunCommand;
  now: () => Date;
}

/**
 * All of stdin: Serf writes the members and closes it. Blocking reads of fd 0
 * skip building process.stdin (2 to 5 ms of every run here). A non-blocking
 * stdin answers EAGAIN before its end: what was read is kept and the rest
 * comes through the stream. Decoded once at the end, so a UTF-8 character
 * split across two reads (a big batch) does not become two U+FFFD.
 */
async function readStdin(): Promise<string> {
  // Serf always gives a stdin; a person running an entry by hand on a terminal gives none.
  if (isatty(0)) return '';
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    let length: number;
    try {
      length = readSync(0, buffer);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
        break;
      }
      // No stdin at all (fd 0 closed) is an empty batch.
      if (code === 'EBADF') break;
      throw error;
    }
    if (length === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, length)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function processIo(): Io {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    readStdin,
    stdout: process.stdout,
    stderr: process.stderr,
    run: runCommand,
    now: () => new Date(),
  };
}

interface Outcome {
  backends: number;
  storeChanges: number;
  config: 'installed' | 'unchanged' | 'dry-run';
  reload: 'yes' | 'no';
}

async function verdictFor(entry: EntryName, options: Options, io: Io, current: readonly { name: string }[], now: string, log: Log): Promise<Verdict> {
  if (entry === 'reconcile') {
    return desiredSet(current, await listAliveMembers(options.membersCmd, io.run), options.role, now);
  }
  const members = [];
  const rejected = [];
  for (const line of parseMemberLines(await io.readStdin())) {
    if (line.ok) members.push(line.member);
    else rejected.push(`line ${line.line}: ${line.reason}`);
  }
  const verdict = changesFor(entry, members, options.role, now);
  verdict.rejected.unshift(...rejected);
  log('info', 'members read', { members: members.length + rejected.length });
  return verdict;
}

async function update(entry: EntryName, options: Options, io: Io, log: Log): Promise<Outcome & { verdict: Verdict }> {
  const template = await readFile(options.template, 'utf8');
  // A dry run changes nothing, not even a lock file or an empty nodes
  // directory; every nodes file is replaced whole, so it can read unlocked.
  if (options.dryRun) return applyEntry(entry, template, options, io, log);
  return withLock(options.nodesDir, () => applyEntry(entry, template, options, io, log));
}

async function applyEntry(entry: EntryName, template: string, options: Options, io: Io, log: Log): Promise<Outcome & { verdict: Verdict }> {
  const before = await readStore(options.nodesDir);
  for (const problem of before.problems) log('warn', 'nodes file skipped', { problem });
  const verdict = await verdictFor(entry, options, io, before.backends, io.now().toISOString(), log);
  for (const reason of verdict.rejected) log('warn', 'member rejected', { reason });
  for (const reason of verdict.ignored) log('info', 'member ignored', { reason });
  const after = applyChanges(before.backends, verdict.changes);
  if (options.dryRun) {
    io.stdout.write(renderConfig(template, after));
    return { verdict, backends: after.length, storeChanges: 0, config: 'dry-run', reload: 'no' };
  }
  // The store is saved before rendering: it is the membership record, so a
  // broken template loses no event, and the next good run renders it all.
  const storeChanges = await saveStore(options.nodesDir, before.backends, after);
  const config = await installConfig(options.config, renderConfig(template, after), options.checkCmd, io.run);
  const reload = config === 'installed' || (await isReloadPending(options.nodesDir));
  if (reload) await reloadHaproxy(options.reloadCmd, options.nodesDir, io.run);
  return { verdict, backends: after.length, storeChanges, config, reload: reload ? 'yes' : 'no' };
}

/** Runs one entry to completion and returns its exit code: 0 done, 1 failed or rejected input, 2 usage. */
export async function runEntry(entry: EntryName, io: Io): Promise<number> {
  // hrtime, not performance.now(): the perf_hooks it loads cost a run about 0.6 ms.
  const started = process.hrtime.bigint();
  const log = createLog(io.stderr, entry);
  let options: Options;
  try {
    options = parseOptions(io.argv, io.env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(usage(entry));
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${entry}: ${error.message}\n${usage(entry)}`);
      return 2;
    }
    throw error;
  }
  const duration = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  try {
    const outcome = await update(entry, options, io, log);
    log('info', 'done', {
      event: entry,
      serf_event: io.env.SERF_EVENT,
      applied: outcome.verdict.changes.length,
      rejected: outcome.verdict.rejected.length,
      ignored: outcome.verdict.ignored.length,
      backends: outcome.backends,
      store_changes: outcome.storeChanges,
      config: outcome.config,
      reload: outcome.reload,
      duration_ms: duration(),
    });
    return outcome.verdict.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    log('error', (error as Error).message, { event: entry, duration_ms: duration() });
    return 1;
  }
}

export function main(entry: EntryName): void {
  runEntry(entry, processIo()).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${entry}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
