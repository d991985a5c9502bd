// A member event's run, handed to the warm reconcile (serve-hand-overs.ts)
// instead of done here. Serf starts a Node process per event, and that
// process would compile and run the whole pipeline cold: the warm process
// runs the same code, already compiled, under the same lock. This side stays
// small (no option parser, no pipeline) because every run loads it.
import { connect } from 'node:net';
import { SETTINGS } from './settings.ts';

/** What a run is: the warm process compares its settings with its own before it takes it. */
export interface HandOverRequest {
  event: string;
  argv: readonly string[];
  env: Record<string, string>;
  stdin: string;
}

export type HandOverOutcome =
  /** Queued in the warm process, which runs it and logs its lines: nothing is left to do here. */
  | { kind: 'taken' }
  /** The warm process would not run it as this process would (other settings): run it here. */
  | { kind: 'declined'; reason: string }
  /** Nobody listens, or the warm process went away before answering: run it here. */
  | { kind: 'unavailable'; reason: string };

/** The warm process's answer, one line. */
export type HandOverAnswer = { taken: true } | { declined: string };

const FLAG = '--pipeline-socket';
const SILENCE_MS = 10_000;
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
 * Sends the run and waits for the one line that says whether the warm
 * process took it. Once taken, killing this process changes nothing: the
 * run is the warm process's, which holds the lock, not this side.
 */
export function handOver(socketPath: string, request: HandOverRequest): Promise<HandOverOutcome> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let pending = '';
    let outcome: HandOverOutcome | undefined;
    socket.setEncoding('utf8');
    // Serf runs one handler at a time: a warm process that stops answering
    // (it answers before the run, in well under a second) must not hold
    // every later event. After this long, run here; a run done twice is
    // done once, under the lock.
    socket.setTimeout(SILENCE_MS, () => socket.destroy(new Error(`no answer for ${SILENCE_MS / 1000} s`)));
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      pending += chunk;
      const newline = pending.indexOf('\n');
      if (newline < 0) return;
      const line = pending.slice(0, newline);
      let answer: HandOverAnswer;
      try {
        answer = JSON.parse(line) as HandOverAnswer;
      } catch {
        socket.destroy(new Error(`answer not understood: ${line.slice(0, 80)}`));
        return;
      }
      // Done without waiting for the socket's close, about 1.5 ms of a cold Node.
      outcome = 'taken' in answer ? { kind: 'taken' } : { kind: 'declined', reason: answer.declined };
      socket.destroy();
      resolve(outcome);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome ??= { kind: 'unavailable', reason: `${socketPath}: ${error.code ?? error.message}` };
    });
    socket.on('close', () => resolve(outcome ?? { kind: 'unavailable', reason: `${socketPath}: closed without an answer` }));
  });
}
