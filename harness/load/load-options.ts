import { parseLoopbackUrl } from './loopback-url.ts';

export interface LoadRoute {
  host: string;
  path: string;
}

export interface LoadOptions {
  /** Where to send, e.g. http://127.0.0.1:8080/; only 127.0.0.1 or localhost is accepted. */
  url: string;
  /** Requests per second, sent on schedule whether or not earlier ones answered (open loop). */
  rate: number;
  /** How long to schedule sends for; without it the run lasts until stop(). */
  durationMs?: number;
  /** Most requests in flight at once, and so most sockets open. */
  connections: number;
  /** true: reuse sockets; false: a new connection per request, like a browser-less client. */
  keepAlive: boolean;
  /** Deadline per request, counted from its scheduled send time. */
  timeoutMs: number;
  method?: 'GET' | 'POST';
  /** The Host header to send (a service's name); the connection still goes to 127.0.0.1. */
  host?: string;
  /**
   * Several services at once: each request takes the next route in turn, its
   * Host header and path, on the url's port (url's own path and `host` unused).
   */
  routes?: LoadRoute[];
  /** For an https: url, the CA certificate (PEM) the server's must chain to. */
  ca?: string;
}

/** Throws on the first option that is out of range; returns the parsed URL. */
export function checkLoadOptions(options: LoadOptions): URL {
  const url = parseLoopbackUrl(options.url);
  expectPositive('rate', options.rate);
  expectPositive('timeoutMs', options.timeoutMs);
  if (!Number.isInteger(options.connections) || options.connections < 1) {
    throw new TypeError(`Expected \`connections\` to be a positive integer, got \`${options.connections}\` (${typeof options.connections})`);
  }
  if (options.durationMs !== undefined && !(Number.isFinite(options.durationMs) && options.durationMs >= 0)) {
    throw new TypeError(`Expected \`durationMs\` to be a non-negative number, got \`${options.durationMs}\` (${typeof options.durationMs})`);
  }
  if (options.method !== undefined && options.method !== 'GET' && options.method !== 'POST') {
    throw new TypeError(`Expected \`method\` to be GET or POST, got \`${String(options.method)}\``);
  }
  if (options.routes !== undefined && (options.routes.length === 0 || options.routes.some((r) => !r.path.startsWith('/') || r.host === ''))) {
    throw new TypeError(`Expected \`routes\` to be one or more { host, path } with a path from /, got \`${JSON.stringify(options.routes)}\``);
  }
  if (url.protocol === 'https:' && options.ca === undefined) {
    throw new TypeError(`Expected \`ca\` (the CA certificate, PEM) with an https: url, got none for \`${options.url}\``);
  }
  return url;
}

function expectPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`Expected \`${name}\` to be a positive number, got \`${value}\` (${typeof value})`);
  }
}
