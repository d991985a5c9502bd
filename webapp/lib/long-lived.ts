import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** RFC 6455's "going away": a server that leaves, so the client may connect again, elsewhere. */
export const GOING_AWAY = 1001;
const EVENT_EVERY_MS = 1000;

export interface LongLivedOptions {
  serverName: string;
}

/**
 * The app's long-lived connections: a WebSocket echo on /ws and a stream of
 * server-sent events on /events. A leaving server ends them itself, politely
 * (a close frame, the end of the stream), so a client sees a server going
 * away and connects again, rather than a reset it cannot tell from a crash.
 */
export interface LongLived {
  /** GET /events: one event a second, numbered, naming this server. */
  events(request: IncomingMessage, response: ServerResponse): void;
  /** An HTTP upgrade: a WebSocket on /ws; anything else is refused with a status line. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Refuses new ones, sends 1001 to each WebSocket and ends each stream; resolves once all are closed. */
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: string, serverName: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nx-backend: ${serverName}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
}

export function createLongLived({ serverName }: LongLivedOptions): LongLived {
  const webSockets = new Set<WebSocket>();
  const streams = new Set<ServerResponse>();
  let closing = false;
  const wss = new WebSocketServer({ noServer: true });
  // The answering server, as every HTTP answer names it (x-backend).
  wss.on('headers', (headers) => headers.push(`x-backend: ${serverName}`));

  const allClosed = () => webSockets.size + streams.size === 0;
  let settle: (() => void) | undefined;
  const forget = <T>(set: Set<T>, item: T) => {
    set.delete(item);
    if (closing && allClosed()) settle?.();
  };

  return {
    events(request, response) {
      if (closing) {
        // HAProxy retries a 503 on another server (retry-on all-retryable-errors).
        response.writeHead(503, { 'content-length': 0, connection: 'close' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': connected\n\n');
      streams.add(response);
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        response.write(`id: ${sent}\ndata: ${JSON.stringify({ server: serverName, n: sent })}\n\n`);
      }, EVENT_EVERY_MS);
      response.on('close', () => {
        clearInterval(timer);
        forget(streams, response);
      });
      request.socket.setNoDelay(true);
    },

    upgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?', 1)[0];
      if (path !== '/ws') return refuse(socket, '404 Not Found', serverName);
      if (closing) return refuse(socket, '503 Service Unavailable', serverName);
      wss.handleUpgrade(request, socket, head, (ws) => {
        webSockets.add(ws);
        ws.on('message', (data, isBinary) => {
          if (ws.readyState === ws.OPEN) ws.send(data, { binary: isBinary });
        });
        ws.on('close', () => forget(webSockets, ws));
        // A socket error ends in 'close' too; without a listener it would throw.
        ws.on('error', () => {});
      });
    },

    close() {
      closing = true;
      const closed = allClosed() ? Promise.resolve() : new Promise<void>((resolve) => (settle = resolve));
      for (const ws of webSockets) ws.close(GOING_AWAY, 'server going away');
      for (const response of streams) response.end();
      return closed;
    },
  };
}
