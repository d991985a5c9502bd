// Shared by the webapp-*.test.ts files: starts the app on port 0 and talks
// to it over real HTTP. Not a test file itself (the runner picks *.test.ts).
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log, LogValue } from '../../../handlers/os/log.ts';
import { createWebApp, type WebApp, type WebAppOptions } from '../../../webapp/lib/app.ts';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, LogValue>;
}

export interface RunningApp {
  app: WebApp;
  logs: LogLine[];
  send(method: string, path: string, options?: { body?: string; headers?: Record<string, string> }): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  /** Closes whatever the test left open; safe after a drain. */
  stop(): Promise<void>;
}

export async function startApp(overrides: Partial<WebAppOptions> = {}): Promise<RunningApp> {
  const logs: LogLine[] = [];
  const log: Log = (level, msg, fields = {}) => logs.push({ level, msg, fields });
  const app = createWebApp({
    serverName: 'web-test',
    hostname: 'host-test',
    address: '10.0.0.7',
    drainQuietMs: 100,
    drainMaxMs: 5000,
    log,
    ...overrides,
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;
  // Keep-alive, as HAProxy talks to servers: the drain must cope with idle connections.
  const agent = new Agent({ keepAlive: true });
  const send: RunningApp['send'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, method, path, agent, headers: options.headers }, (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => {
          const json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json });
        });
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  return {
    app,
    logs,
    send,
    get: (path, headers) => send('GET', path, headers ? { headers } : {}),
    async stop() {
      agent.destroy();
      if (app.server.listening) {
        app.server.closeAllConnections();
        await new Promise((resolve) => app.server.close(resolve));
      }
    },
  };
}

/** The `name=value` part of a Set-Cookie header, ready to send back as Cookie. */
export function cookieFrom(reply: Reply): string {
  const [setCookie] = reply.headers['set-cookie'] ?? [];
  if (setCookie === undefined) throw new Error('expected a set-cookie header, got none');
  return setCookie.split(';', 1)[0] ?? '';
}
