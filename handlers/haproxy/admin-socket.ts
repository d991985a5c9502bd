import { connect } from 'node:net';

/** Sends one command to HAProxy's admin socket and resolves to its whole answer. */
export type AdminCommand = (command: string) => Promise<string>;

/** No HAProxy listens there (a run by hand, the unit tests, HAProxy not started yet). */
export class AdminSocketUnavailable extends Error {}

const UNAVAILABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

/**
 * One connection per command: HAProxy's non-interactive mode answers and
 * closes, so the answer is everything read until the end, with no prompt to
 * parse. Connecting to a unix socket costs microseconds.
 */
export function adminSocket(path: string, timeoutMs = 5_000): AdminCommand {
  return (command) =>
    new Promise((resolve, reject) => {
      const socket = connect(path);
      let answer = '';
      socket.setEncoding('utf8');
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${path} within ${timeoutMs} ms to '${command}'`)));
      socket.on('connect', () => socket.end(`${command}\n`));
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        reject(error.code && UNAVAILABLE.has(error.code) ? new AdminSocketUnavailable(`admin socket ${path}: ${error.code}`, { cause: error }) : error);
      });
    });
}
