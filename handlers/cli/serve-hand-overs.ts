// The warm reconcile's side of cli/hand-over.ts: a unix socket that only
// root can reach (a root-only folder, the socket itself 0600), since a run
// it takes runs commands as root.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Log } from '../os/log.ts';
import type { LineSink } from '../os/stderr-lines.ts';
import type { HandOverAnswer, HandOverRequest } from './hand-over.ts';

/** Runs one handed-over event, its log lines to `stderr`; or declines it. */
export type TakeRun = (request: HandOverRequest, stderr: LineSink) => Promise<{ exit: number } | { declined: string }>;

/** A batch of a thousand members is about 60 kB; anything near this is not Serf's. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The request, or why it is not one. */
export function checkRequest(text: string): HandOverRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `request is not JSON: ${JSON.stringify(text.slice(0, 60))}`;
  }
  const r = value as Partial<HandOverRequest> | null;
  if (typeof r !== 'object' || r === null || typeof r.event !== 'string' || typeof r.stdin !== 'string' || !isStrings(r.argv)) {
    return 'request needs an event, argv and stdin';
  }
  if (typeof r.env !== 'object' || r.env === null || !isStrings(Object.values(r.env))) return 'request env must map names to strings';
  return r as HandOverRequest;
}

function answer(socket: Socket, line: HandOverAnswer): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(line)}\n`);
}

function serve(socket: Socket, take: TakeRun): void {
  let text = '';
  socket.setEncoding('utf8');
  // The handler was killed: the run it asked for goes on all the same.
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > MAX_REQUEST_BYTES) socket.destroy();
  });
  socket.on('end', () => {
    const request = checkRequest(text);
    if (typeof request === 'string') {
      answer(socket, { declined: request });
      socket.end();
      return;
    }
    const stderr: LineSink = { write: (line) => (answer(socket, { log: String(line) }), true) };
    take(request, stderr)
      .catch((error: unknown) => ({ exit: 1, error }))
      .then((result) => {
        if ('error' in result) answer(socket, { log: `${request.event}: ${(result.error as Error).stack ?? String(result.error)}\n` });
        answer(socket, 'declined' in result ? { declined: result.declined } : { exit: result.exit });
        socket.end();
      });
  });
}

/**
 * Listens at `socketPath` for handed-over runs. A socket file left by an
 * earlier process (s6 restarts this service) is replaced; one that cannot be
 * served is logged, and handlers then run their events themselves.
 */
export function serveHandOvers(socketPath: string, take: TakeRun, log: Log): Server {
  const server = createServer({ allowHalfOpen: true }, (socket) => serve(socket, take));
  server.on('error', (error) => log('warn', 'hand-over socket not served; handlers run their events themselves', { socket: socketPath, reason: error.message }));
  try {
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    rmSync(socketPath, { force: true });
  } catch (error) {
    server.emit('error', error);
    return server;
  }
  server.listen(socketPath, () => {
    chmodSync(socketPath, 0o600);
    log('info', 'taking member events over', { socket: socketPath });
  });
  return server;
}
