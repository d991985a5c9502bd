// The engine's side of cli/wake-engine.ts: a unix socket only root can
// reach (a root-only folder, the socket itself 0600).
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { WakeAnswer, WakeRequest } from '../cli/wake-engine.ts';
import type { Log } from '../os/log.ts';

/** A batch of a thousand names is about 64 kB; anything near this is not a handler's. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** The request, or why it is not one. */
export function checkRequest(text: string): WakeRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `request is not JSON: ${JSON.stringify(text.slice(0, 60))}`;
  }
  const r = value as Partial<WakeRequest> | null;
  if (typeof r !== 'object' || r === null || typeof r.event !== 'string' || !Array.isArray(r.names) || !r.names.every((n) => typeof n === 'string')) {
    return 'request needs an event and the names of its members';
  }
  return { event: r.event, names: r.names };
}

function serve(socket: Socket, wake: (request: WakeRequest) => Promise<WakeAnswer>): void {
  let text = '';
  socket.setEncoding('utf8');
  // The handler was killed: its wake-up stands all the same.
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > MAX_REQUEST_BYTES) socket.destroy();
  });
  socket.on('end', () => {
    const request = checkRequest(text);
    const answer = typeof request === 'string' ? Promise.resolve({ ok: false, rejected: [], error: request }) : wake(request);
    void answer.then((line) => !socket.destroyed && socket.end(`${JSON.stringify(line)}\n`));
  });
}

/**
 * Listens at `socketPath` for member events' wake-ups. A socket file left by
 * an earlier engine (s6 restarts it) is replaced; one that cannot be served
 * is logged, and the handlers then fail until the engine is back, whose
 * first pass applies whatever they carried.
 */
export function serveWakeUps(socketPath: string, wake: (request: WakeRequest) => Promise<WakeAnswer>, log: Log): Server {
  const server = createServer({ allowHalfOpen: true }, (socket) => serve(socket, wake));
  server.on('error', (error) => log('error', 'engine socket not served', { socket: socketPath, reason: error.message }));
  try {
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 });
    rmSync(socketPath, { force: true });
  } catch (error) {
    server.emit('error', error);
    return server;
  }
  server.listen(socketPath, () => chmodSync(socketPath, 0o600));
  return server;
}
