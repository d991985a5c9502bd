import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from '../../handlers/os/log.ts';
import { parseDelayBody, InvalidDelay } from './delay-body.ts';
import { watchForQuiet, type QuietEnd, type QuietWatch } from './drain.ts';
import { createLongLived } from './long-lived.ts';
import { BodyTooLarge, readBody } from './request-body.ts';
import { sessionCookie, sessionIdFromCookie } from './session-cookie.ts';
import { createSessionStore } from './sessions.ts';

const MAX_DELAY_BODY_BYTES = 4096;
/** How long a refused body may go on arriving (discarded) before its connection is closed anyway. */
const LINGER_MS = 5000;

const pathOf = (request: IncomingMessage): string => (request.url ?? '/').split('?', 1)[0] ?? '/';

export interface WebAppOptions {
  /** Sent as `x-backend` on every response, so a client can see which backend answered. */
  serverName: string;
  hostname: string;
  /** The container's IPv4, reported by GET /. */
  address: string | undefined;
  drainQuietMs: number;
  drainMaxMs: number;
  sessionLimit?: number;
  log: Log;
}

export interface DrainOutcome {
  end: QuietEnd;
  /** Requests other than /health that arrived after the drain began. */
  requestsWhileDraining: number;
  /** Connections still open when the drain maximum ran out, ended then. */
  ended: number;
}

export interface WebApp {
  server: Server;
  readonly draining: boolean;
  /**
   * Starts the drain (again: the same one) and resolves once the server has
   * closed every connection, `drainMaxMs` after it began at the latest.
   */
  drain(): Promise<DrainOutcome>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export function createWebApp(options: WebAppOptions): WebApp {
  const { serverName, hostname, address, log } = options;
  const sessions = createSessionStore(options.sessionLimit ?? 10_000);
  let delayMs = 0;
  let drainWatch: QuietWatch | undefined;
  let requestsWhileDraining = 0;
  let closing = false;
  let drained: Promise<DrainOutcome> | undefined;
  const longLived = createLongLived({ serverName });

  /** Writes the whole answer; the caller ends the response. */
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    // Once the server is closing, a keep-alive connection left open after its
    // response would hold the process up; Node closes it after this response.
    if (closing) response.setHeader('connection', 'close');
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    response.write(text);
  };
  const send = (response: ServerResponse, status: number, body: unknown) => {
    answer(response, status, body);
    response.end();
  };

  /**
   * A 400 for a body the app will not read. Sent at once, but the connection
   * is closed only once the client has sent the rest (read and discarded) or
   * LINGER_MS passed: a socket closed with bytes still arriving makes the
   * kernel answer them with a reset, which can overtake the 400.
   */
  async function refuseBody(request: IncomingMessage, response: ServerResponse, message: string) {
    response.setHeader('connection', 'close');
    answer(response, 400, { error: message });
    if (!request.complete) {
      request.resume();
      const linger = AbortSignal.timeout(LINGER_MS);
      await once(request, 'end', { signal: linger }).catch(() => {});
    }
    response.end();
  }

  const routes = new Map<string, { methods: readonly string[]; handle: Handler }>([
    ['/', { methods: ['GET', 'HEAD'], handle: greet }],
    ['/health', { methods: ['GET', 'HEAD'], handle: (_, response) => health(response) }],
    ['/delay', { methods: ['POST'], handle: setDelay }],
    ['/events', { methods: ['GET'], handle: longLived.events }],
  ]);

  async function greet(request: IncomingMessage, response: ServerResponse) {
    const visit = sessions.visit(sessionIdFromCookie(request.headers.cookie));
    const delay = delayMs;
    if (delay > 0) await sleep(delay);
    if (visit.isNew) response.setHeader('set-cookie', sessionCookie(visit.sessionId));
    send(response, 200, {
      message: `Hello from ${serverName}`,
      path: pathOf(request),
      ip: address ?? null,
      hostname,
      views: visit.views,
      session: visit.sessionId,
      delay,
    });
  }

  function health(response: ServerResponse) {
    if (drainWatch) send(response, 503, { status: 'draining' });
    else send(response, 200, { status: 'ok' });
  }

  async function setDelay(request: IncomingMessage, response: ServerResponse) {
    try {
      delayMs = parseDelayBody(await readBody(request, MAX_DELAY_BODY_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuseBody(request, response, error.message);
      if (error instanceof InvalidDelay) return send(response, 400, { error: error.message });
      throw error;
    }
    log('info', 'delay set', { delay_ms: delayMs });
    send(response, 200, { delay: delayMs });
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    response.setHeader('x-backend', serverName);
    const path = pathOf(request);
    // Health checks come whether or not HAProxy still routes here; every
    // other request shows it does, so only those hold the drain open.
    if (drainWatch && path !== '/health') {
      drainWatch.touch();
      requestsWhileDraining += 1;
    }
    // Any other path is greeted, as a service routed by path prefix (LB_PATH=/docs) gets /docs/...
    const found = routes.get(path) ?? routes.get('/')!;
    const method = request.method ?? '';
    if (!found.methods.includes(method)) {
      response.setHeader('allow', found.methods.join(', '));
      return send(response, 405, { error: `expected ${found.methods.join(' or ')} for ${path}, got ${method}` });
    }
    await found.handle(request, response);
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log('error', 'request failed', { path: request.url, error: (error as Error).message });
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });
  server.on('upgrade', longLived.upgrade);
  // Every connection, upgraded ones included, for the drain to end when its maximum runs out.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // HAProxy reuses idle connections to servers. Node closes an idle one after
  // 5 s by default, as often as HAProxy purges its idle pool (pool-purge-delay,
  // 5 s), so HAProxy could send a request just as the app closes. Holding
  // them longer leaves closing idle connections to HAProxy, and to drain().
  server.keepAliveTimeout = 30_000;

  async function runDrain(): Promise<DrainOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    drainWatch = watchForQuiet(options.drainQuietMs, options.drainMaxMs);
    log('info', 'drain started', { quiet_ms: options.drainQuietMs, max_ms: options.drainMaxMs });
    // Long-lived connections would never go quiet: they are ended first, at once.
    const longLivedClosed = longLived.close();
    const end = await drainWatch.ended;
    log('info', end === 'quiet' ? 'drain quiet reached' : 'drain max reached', {
      elapsed_ms: elapsed(),
      requests_while_draining: requestsWhileDraining,
    });
    closing = true;
    // close() stops accepting and, since Node 19, closes idle keep-alive
    // connections; busy ones close after their response (see send()).
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The maximum bounds the whole exit: a client that never finishes its
    // headers or its body, or a WebSocket that never answers the close frame,
    // would otherwise hold the process up for minutes.
    const bound = new AbortController();
    const timedOut = sleep(Math.max(0, options.drainMaxMs - elapsed()), true, { signal: bound.signal }).catch(() => false);
    const finished = Promise.all([closed, longLivedClosed]).then(() => false);
    let ended = 0;
    if (await Promise.race([finished, timedOut])) {
      ended = sockets.size;
      for (const socket of sockets) socket.destroy();
      log('warn', 'drain max reached, connections ended', { elapsed_ms: elapsed(), ended });
      await closed;
    }
    bound.abort();
    log('info', 'server closed', { elapsed_ms: elapsed(), requests_while_draining: requestsWhileDraining });
    return { end, requestsWhileDraining, ended };
  }

  return {
    server,
    get draining() {
      return drainWatch !== undefined;
    },
    drain() {
      drained ??= runDrain();
      return drained;
    },
  };
}
