// A member event's run, handed to the warm reconcile (serve-hand-overs.ts)
// instead of done here. Serf starts a Node process per event, and that
// process would compile and run the whole pipeline cold: the warm process
// runs the same code, already compiled, under the same lock. This side stays
// small (no option parser, no pipeline) because every run loads it.
import { connect } from 'node:net';
import type { LineSink } from '../os/stderr-lines.ts';
import { SETTINGS } from './settings.ts';

/** What a run is: the warm process compares its settings with its own before it takes it. */
export interface HandOverRequest {
  event: string;
  argv: readonly string[];
  env: Record<string, string>;
  stdin: string;
}

export type HandOverOutcome =
  | { kind: 'done'; code: number }
  /** The warm process would not run it as this process would (other settings): run it here. */
  | { kind: 'declined'; reason: string }
  /** Nobody listens, or the warm process went away before answering: run it here. */
  | { kind: 'unavailable'; reason: string };

/** One line of the warm process's answer. */
export type HandOverAnswer = { log: string } | { exit: number } | { declined: string };

const FLAG = '--pipeline-socket';
const SILENCE_MS = 120_000;
const fallback = SETTINGS.find((s) => s.flag === 'pipeline-socket')!.fallback;

/** The variables a run reads: its settings, DRY_RUN, and SERF_EVENT for its done line. */
export function runEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of [...SETTINGS.map((s) => s.env), 'DRY_RUN', 'SERF_EVENT']) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Only member events are handed over: a reconcile or a render is the warm process's own work or comes before it. */
export const isMemberEvent = (event: string): boolean => event.startsWith('member-');

/**
 * The socket to hand this run to, or undefined when it must run here: a
 * member event only, never a dry run or a --help, and not with 'none'. Read without the option parser, which this side does not
 * load; the warm process parses and checks everything.
 */
export function handOverSocket(event: string, argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  if (!isMemberEvent(event)) return undefined;
  if (['1', 'true', 'yes'].includes(env.DRY_RUN ?? '')) return undefined;
  let socket = env.PIPELINE_SOCKET || fallback;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg.startsWith('--dry-run')) return undefined;
    if (arg === FLAG) socket = argv[++i] ?? '';
    else if (arg.startsWith(`${FLAG}=`)) socket = arg.slice(FLAG.length + 1);
  }
  return socket === '' || socket === 'none' ? undefined : socket;
}

/**
 * Sends the run and relays its log lines to `stderr` as they come. Killing
 * this process at any instant leaves the warm process to finish the run,
 * which holds the lock, not this side.
 */
export function handOver(socketPath: string, request: HandOverRequest, stderr: LineSink): Promise<HandOverOutcome> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let pending = '';
    let outcome: HandOverOutcome | undefined;
    socket.setEncoding('utf8');
    // Serf runs one handler at a time: a warm process that stops answering
    // must not hold every later event. Its run would have given up on the
    // lock after 60 s; after this long without a line, run here.
    socket.setTimeout(SILENCE_MS, () => socket.destroy(new Error(`no answer for ${SILENCE_MS / 1000} s`)));
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        let answer: HandOverAnswer;
        try {
          answer = JSON.parse(line) as HandOverAnswer;
        } catch {
          socket.destroy(new Error(`answer not understood: ${line.slice(0, 80)}`));
          return;
        }
        if ('log' in answer) {
          stderr.write(answer.log);
          continue;
        }
        // The last line: done without waiting for the socket's close, about 1.5 ms of a cold Node.
        outcome = 'exit' in answer ? { kind: 'done', code: answer.exit } : { kind: 'declined', reason: answer.declined };
        socket.destroy();
        resolve(outcome);
        return;
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome ??= { kind: 'unavailable', reason: `${socketPath}: ${error.code ?? error.message}` };
    });
    socket.on('close', () => resolve(outcome ?? { kind: 'unavailable', reason: `${socketPath}: closed without an answer` }));
  });
}
