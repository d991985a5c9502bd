/**
 * The load generator on a thread of its own, at a higher scheduling priority:
 * a stand-in for a client on another machine. On the benchmark's 2-core
 * machine, 48 webapps booting at once keep both cores busy; a generator
 * sharing the orchestrating thread at equal priority fell seconds behind its
 * own schedule and counted that lateness as timeouts (100% of sends in some
 * seconds), while a second client beside it saw no failure at all. Sends and
 * deadlines still run from the schedule, so a slow cluster shows as before.
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkLoadOptions, type LoadOptions } from './load-options.ts';
import type { LoadReport } from './load-report.ts';
import type { ThreadMessage } from './load-thread-worker.ts';
import { LOAD_GROUP_SHARES, makeCpuGroup } from './thread-cpu-group.ts';

/** Nice value asked for the generator's thread (Linux gives each thread its own). */
export const LOAD_THREAD_NICE = -10;

export interface ThreadedLoad {
  /** Epoch ms the load started, on its thread: every time in its report counts from here. */
  started: Promise<number>;
  /** Each backend's first ok response so far, in ms since the load started. */
  firstSeen(): Readonly<Record<string, number>>;
  /** Whether the thread got LOAD_THREAD_NICE (it needs root or CAP_SYS_NICE), or why not. */
  priority(): Promise<string>;
  /** The CPU group the thread runs in: one of its own beside the containers' (thread-cpu-group.ts), or why not. */
  cpuGroup(): Promise<string>;
  /** Stops scheduling, waits for requests already sent (each bounded by timeoutMs), returns the final report. */
  stop(): Promise<LoadReport>;
}

let workerCode: string | undefined;

/**
 * The worker's code, bundled once per process: tests and benchmarks run
 * TypeScript that Node 20 cannot load as such, from the repository's root
 * (this module itself runs from inside a bundle elsewhere).
 */
function bundledWorker(): string {
  workerCode ??= esbuild.buildSync({
    entryPoints: [join(process.cwd(), 'harness', 'load', 'load-thread-worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  }).outputFiles[0]!.text;
  return workerCode;
}

export function startLoadThread(options: LoadOptions): ThreadedLoad {
  checkLoadOptions(options);
  const group = makeCpuGroup(LOAD_GROUP_SHARES);
  const worker = new Worker(bundledWorker(), {
    eval: true,
    workerData: { options, nice: LOAD_THREAD_NICE, group: typeof group === 'string' ? undefined : group.dir },
  });
  const firstSeen: Record<string, number> = {};
  let settleStarted!: (epochMs: number) => void;
  const started = new Promise<number>((resolve) => (settleStarted = resolve));
  let settlePriority!: (text: string) => void;
  const priority = new Promise<string>((resolve) => (settlePriority = resolve));
  let settleCpuGroup!: (text: string) => void;
  const cpuGroup = new Promise<string>((resolve) => (settleCpuGroup = resolve));
  if (typeof group === 'string') settleCpuGroup(group);
  let settleDone!: (report: LoadReport) => void;
  let failDone!: (error: Error) => void;
  const done = new Promise<LoadReport>((resolve, reject) => ((settleDone = resolve), (failDone = reject)));
  worker.on('message', (message: ThreadMessage) => {
    if (message.kind === 'started') settleStarted(message.epochMs);
    else if (message.kind === 'first-seen') firstSeen[message.backend] = message.atMs;
    else if (message.kind === 'priority') settlePriority(message.text);
    else if (message.kind === 'cpu-group') settleCpuGroup(message.text);
    else settleDone(message.report);
  });
  worker.on('error', failDone);
  worker.on('exit', (code) => failDone(new Error(`the load thread exited (code ${code}) before its report`)));
  return {
    started,
    firstSeen: () => firstSeen,
    priority: () => priority,
    cpuGroup: () => cpuGroup,
    stop() {
      worker.postMessage('stop');
      return done.finally(async () => {
        await worker.terminate();
        if (typeof group !== 'string') group.remove();
      });
    },
  };
}
