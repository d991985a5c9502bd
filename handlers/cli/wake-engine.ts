import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLog } from '../os/log.ts';
import { descriptorLines } from '../os/stderr-lines.ts';
import { readStdin } from './read-stdin.ts';
import { settingsOrExit } from './settings.ts';

/** What a member event's handler sends the engine: its event, and the names of the members Serf gave it. */
export interface WakeRequest {
  event: string;
  names: string[];
}

/** The engine's answer, one JSON line: whether the pass did all it was asked, and which of the names it refused. */
export interface WakeAnswer {
  ok: boolean;
  rejected: string[];
  error?: string;
}

/**
 * How long a handler waits for the engine to listen: it starts once the
 * agent answers, and listens once its agent has joined (at most 10 s later).
 * Past this, the engine's first pass does the work.
 */
const LISTEN_WAIT_MS = 30_000;
/** A pass takes milliseconds, a reload with its check a second or two; this is a hung engine. */
const ANSWER_WAIT_MS = 60_000;

/** The names of the members Serf gave a member event: the first field of each line. */
export function memberNames(stdin: string): string[] {
  return stdin.split('\n').map((line) => line.split('\t')[0]!.trim()).filter((name) => name !== '');
}

/** The engine's answer, or why there is none: no engine listening, no answer, or an answer that is not one. */
export function askEngine(socketPath: string, request: WakeRequest): Promise<WakeAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(ANSWER_WAIT_MS, () => socket.destroy(new Error(`no answer from ${socketPath} in ${ANSWER_WAIT_MS / 1000} s`)));
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      let answer: unknown;
      try {
        answer = JSON.parse(text);
      } catch {
        answer = undefined;
      }
      const a = answer as Partial<WakeAnswer> | null | undefined;
      if (typeof a !== 'object' || a === null || typeof a.ok !== 'boolean' || !Array.isArray(a.rejected)) {
        reject(new Error(`answer not understood: ${JSON.stringify(text.slice(0, 80))}`));
        return;
      }
      resolve({ ok: a.ok, rejected: a.rejected.map(String), error: typeof a.error === 'string' ? a.error : undefined });
    });
  });
}

async function askWhenListening(socketPath: string, request: WakeRequest): Promise<WakeAnswer> {
  const deadline = Date.now() + LISTEN_WAIT_MS;
  for (;;) {
    try {
      return await askEngine(socketPath, request);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!(code === 'ENOENT' || code === 'ECONNREFUSED') || Date.now() >= deadline) throw error;
      await sleep(100);
    }
  }
}

/**
 * A member event's handler: wakes the engine and exits with what its pass
 * says of this event's members, 0 when all were applied, 1 when not, so
 * Serf's log shows a refused member.
 */
export function wakeEngine(event: string): void {
  const stderr = descriptorLines();
  const settings = settingsOrExit(event, process.argv.slice(2), process.env, { stdout: process.stdout, stderr });
  if (typeof settings === 'number') {
    process.exitCode = settings;
    return;
  }
  const log = createLog(stderr, event);
  void (async () => {
    const names = memberNames(await readStdin());
    const answer = await askWhenListening(settings.engineSocket, { event, names });
    if (answer.ok && answer.rejected.length === 0) return;
    log('warn', 'not applied', { members: names.join(','), rejected: answer.rejected.join(',') || undefined, reason: answer.error });
    process.exitCode = 1;
  })().catch((error: unknown) => {
    log('error', 'engine not reached; its next pass applies this event', { members: undefined, reason: (error as Error).message });
    process.exitCode = 1;
  });
}
