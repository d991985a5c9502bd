// The warm reconcile's side of cli/hand-over.ts: a unix socket that only
// root can reach (a root-only folder, the socket itself 0600), since a run
// it takes runs commands as root.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { Log } from '../os/log.ts';
import type { HandOverAnswer, HandOverRequest } from './hand-over.ts';

/**
 * What the warm process does with a handed-over run: say why it would not
 * run it as its handler would, or run it, logging its own lines.
 */
export interface RunTaker {
  refusal(request: HandOverRequest): string | undefined;
  run(request: HandOverRequest): Promise<void>;
}

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
  if (!socket.destroyed) socket.end(`${JSON.stringify(line)}\n`);
}

/**
 * The handler is answered as soon as its run is queued: Serf runs one handler
 * at a time and waits for each, so a handler that waited for the run would
 * hold every later event for it. Runs go one after another in the order
 * their handlers sent them (Serf's order), so a join and the leave that
 * follows it cannot swap.
 */
function serve(socket: Socket, taker: RunTaker, queue: (request: HandOverRequest) => void): void {
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
    if (typeof request === 'string') return answer(socket, { declined: request });
    const refusal = taker.refusal(request);
    if (refusal !== undefined) return answer(socket, { declined: refusal });
    queue(request);
    answer(socket, { taken: true });
  });
}

/**
 * Listens at `socketPath` for handed-over runs. A socket file left by an
 * earlier process (s6 restarts this service) is replaced; one that cannot be
 * served is logged, and handlers then run their events themselves.
 */
export function serveHandOvers(socketPath: string, taker: RunTaker, log: Log): Server {
  let queued = Promise.resolve();
  const queue = (request: HandOverRequest) => {
    queued = queued.then(() => taker.run(request)).catch((error: unknown) => log('error', (error as Error).message, { event: request.event, handed_over: 'yes' }));
  };
  const server = createServer({ allowHalfOpen: true }, (socket) => serve(socket, taker, queue));
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
