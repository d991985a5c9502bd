import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { EVENTS, type EventName } from '../pipeline/events.ts';
import { runPipeline } from '../pipeline/pipeline.ts';
import { type AdminCommand, adminSocket } from '../haproxy/admin-socket.ts';
import type { AgentView } from '../members/serf-members.ts';
import { SerfRpc } from '../members/serf-rpc.ts';
import { createLog, type Log } from '../os/log.ts';
import { descriptorLines, type LineSink } from '../os/stderr-lines.ts';
import { runCommand, type RunCommand } from '../os/run-command.ts';
import { type HandOverRequest, isMemberEvent } from './hand-over.ts';
import { HelpRequested, type Options, parseOptions, SETTINGS, usage, UsageError } from './options.ts';
import { readStdin } from './read-stdin.ts';
import { repeat } from './repeat.ts';
import { serveHandOvers } from './serve-hand-overs.ts';

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
  /** The agent's members over a connection kept open (the warm reconcile's); by default one per run, if --members-rpc names the agent. */
  members?: () => Promise<AgentView>;
  /** Set where the warm reconcile runs an event its handler handed over. */
  handedOver?: boolean;
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

/** A connection to the agent's RPC, or undefined with --members-rpc none (the members then come from --members-cmd). */
function agentRpc(options: Options, env: NodeJS.ProcessEnv): SerfRpc | undefined {
  return options.membersRpc === 'none' ? undefined : new SerfRpc(options.membersRpc, env.SERF_RPC_AUTH);
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
  // Opened only if the run asks the agent (an event's own members need not).
  const rpc = io.members ? undefined : agentRpc(options, io.env);
  const members = io.members ?? (rpc && (() => rpc.members()));
  try {
    const admin = io.admin ?? adminSocket(options.adminSocket);
    const outcome = await runPipeline(event, { options, admin, eventText: io.readStdin, stdout: { write: (text) => io.stdout.write(text) }, run: io.run, members, now: io.now, log });
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
      handed_over: io.handedOver ? 'yes' : undefined,
      duration_ms: duration(),
    });
    return outcome.verdict.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    log('error', (error as Error).message, { event, duration_ms: duration() });
    return 1;
  } finally {
    rpc?.close();
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

/** Why this process would not run `request` as its sender would, or undefined when it would. */
export function handOverRefusal(request: HandOverRequest, own: Options): string | undefined {
  if (!(request.event in EVENTS) || !isMemberEvent(request.event)) return `${JSON.stringify(request.event)} is not a member event`;
  let theirs: Options;
  try {
    theirs = parseOptions(request.argv, request.env);
  } catch (error) {
    return `its options: ${(error as Error).message}`;
  }
  if (theirs.dryRun) return 'a dry run';
  // How often this process repeats is its own business, not the run's.
  const differs = SETTINGS.find((s) => s.key !== 'every' && s.key !== 'monitorCmd' && theirs[s.key] !== own[s.key]);
  return differs && `--${differs.flag} differs`;
}

/**
 * Member events handed over by their handlers (cli/hand-over.ts), run here
 * with code already compiled; their lines, a rejected member's included,
 * go to this process's log.
 */
function takeHandOvers(own: Options, io: Io, log: Log): void {
  if (own.pipelineSocket === 'none') return;
  serveHandOvers(own.pipelineSocket, {
    refusal: (request) => handOverRefusal(request, own),
    run: async (request) => {
      await runEntry(request.event as EventName, { ...io, argv: request.argv, env: request.env, readStdin: async () => request.stdin, handedOver: true });
    },
  }, log);
}

/**
 * What each file in handlers/ calls: the real process, the exit code set,
 * nothing thrown. A reconcile with --every keeps running, and runs at once
 * when the agent logs a member change or on SIGHUP (the ha image's
 * handlers.json sends one for a backend's "ready"): Debian's Node takes
 * about 130 ms just to start, even from the image's snapshot, and Serf's
 * member events wait for a quiet period; this warm process answers in a
 * few ms.
 */
export function main(event: EventName, stdin?: string): void {
  const io = processIo();
  // A handler whose hand-over found no taker read its stdin already.
  if (stdin !== undefined) io.readStdin = async () => stdin;
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
  // One connection for every run of this process, its own and those handed over.
  const rpc = agentRpc(options, io.env);
  if (rpc) io.members = () => rpc.members();
  takeHandOvers(options, io, createLog(io.stderr, event));
  const wakeups = new EventEmitter();
  const wake = () => wakeups.emit('wake');
  process.on('SIGHUP', wake);
  // Imported here: only the long-running reconcile watches, and every other run would compile it and its built-ins.
  if (options.monitorCmd !== 'none') void import('./watch-members.ts').then((m) => m.watchMemberChanges(options.monitorCmd, wake, createLog(io.stderr, event)));
  void repeat(once, Number(options.every), wakeups);
}
