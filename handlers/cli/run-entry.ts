import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventName } from '../pipeline/events.ts';
import { runPipeline } from '../pipeline/pipeline.ts';
import { type AdminCommand, adminSocket } from '../haproxy/admin-socket.ts';
import { createLog } from '../os/log.ts';
import { descriptorLines, type LineSink } from '../os/stderr-lines.ts';
import { runCommand, type RunCommand } from '../os/run-command.ts';
import { HelpRequested, type Options, parseOptions, usage, UsageError } from './options.ts';
import { readStdin } from './read-stdin.ts';
import { repeat } from './repeat.ts';

/** The process as a run sees it, so tests can pass their own. */
export interface Io {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  stdout: Writable;
  /** Log lines and usage errors. */
  stderr: LineSink;
  run: RunCommand;
  now: () => Date;
  /** HAProxy's runtime API; by default a connection to the --admin-socket path. */
  admin?: AdminCommand;
}

export function processIo(): Io {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    readStdin,
    // Built on first use only (a dry run, --help): Node builds a stream around the descriptor, about 1 ms.
    get stdout() {
      return process.stdout;
    },
    stderr: descriptorLines(),
    run: runCommand,
    now: () => new Date(),
  };
}

/** Options from argv and the environment, or the exit code for help (2) and misuse (2). */
function optionsOrExit(event: EventName, io: Io): Options | number {
  try {
    return parseOptions(io.argv, io.env);
  } catch (error) {
    if (error instanceof HelpRequested) {
      io.stdout.write(usage(event));
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${event}: ${error.message}\n${usage(event)}`);
      return 2;
    }
    throw error;
  }
}

/** Runs one event to completion and returns its exit code: 0 done, 1 failed or rejected input, 2 usage. */
export async function runEntry(event: EventName, io: Io): Promise<number> {
  // hrtime, not performance.now(): the perf_hooks it loads cost a run about 0.6 ms.
  const started = process.hrtime.bigint();
  const duration = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const log = createLog(io.stderr, event);
  const options = optionsOrExit(event, io);
  if (typeof options === 'number') return options;
  try {
    const admin = io.admin ?? adminSocket(options.adminSocket);
    const outcome = await runPipeline(event, { options, admin, eventText: io.readStdin, stdout: { write: (text) => io.stdout.write(text) }, run: io.run, now: io.now, log });
    const runtime = outcome.runtime;
    const changed = runtime?.path === 'runtime' ? runtime.result : undefined;
    log('info', 'done', {
      event,
      serf_event: io.env.SERF_EVENT,
      applied: outcome.verdict.changes.length,
      rejected: outcome.verdict.rejected.length,
      ignored: outcome.verdict.ignored.length,
      backends: outcome.servers,
      store_changes: outcome.storeChanges,
      config: outcome.config,
      runtime: runtime?.path === 'runtime' ? 'applied' : runtime?.path === 'reload' ? 'fallback' : 'off',
      runtime_added: changed?.added,
      runtime_removed: changed?.removed,
      runtime_cut: changed && changed.cut > 0 ? changed.cut : undefined,
      reload: outcome.reload ? 'yes' : 'no',
      duration_ms: duration(),
    });
    return outcome.verdict.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    log('error', (error as Error).message, { event, duration_ms: duration() });
    return 1;
  }
}

/** The options of a reconcile that keeps running, or undefined; a bad value is left for runEntry to report. */
function repeating(event: EventName, io: Io): Options | undefined {
  if (event !== 'reconcile') return undefined;
  try {
    const options = parseOptions(io.argv, io.env);
    return Number(options.every) > 0 ? options : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What each file in handlers/ calls: the real process, the exit code set,
 * nothing thrown. A reconcile with --every keeps running, and runs at once
 * when the agent logs a member change or on SIGHUP (the ha image's
 * handlers.json sends one for a backend's "ready"): Debian's Node takes
 * about 85 ms just to start, and Serf's member events wait for a quiet
 * period; this warm process answers in a few ms.
 */
export function main(event: EventName): void {
  const io = processIo();
  const once = () =>
    runEntry(event, io).then(
      (code) => (process.exitCode = code),
      (error: unknown) => {
        process.stderr.write(`${event}: ${(error as Error).stack ?? String(error)}\n`);
        process.exitCode = 1;
      },
    );
  const options = repeating(event, io);
  if (!options) {
    void once();
    return;
  }
  const wakeups = new EventEmitter();
  const wake = () => wakeups.emit('wake');
  process.on('SIGHUP', wake);
  // Imported here: only the long-running reconcile watches, and every other run would compile it and its built-ins.
  if (options.monitorCmd !== 'none') void import('./watch-members.ts').then((m) => m.watchMemberChanges(options.monitorCmd, wake, createLog(io.stderr, event)));
  void repeat(once, Number(options.every), wakeups);
}
