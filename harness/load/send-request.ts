import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { failureOfError, failureOfStatus, type FailureKind } from './classify-failure.ts';

/** What every request of a run shares. */
export interface RequestSpec {
  url: URL;
  method: 'GET' | 'POST';
  /** A keep-alive agent, or false for a fresh connection per request. */
  agent: http.Agent | false;
  /** The whole deadline, from the scheduled send time; for messages. */
  timeoutMs: number;
  /** Host header; default the URL's. */
  host?: string;
  /** https: the CA the server's certificate must chain to. */
  ca?: string | undefined;
}

export type RequestOutcome =
  | { ok: true; status: number; backend: string | undefined }
  | { ok: false; failure: FailureKind; message: string };

/**
 * Sends one request and settles once, never rejects. Ok means a 2xx/3xx status
 * and a body read to its end. `remainingMs` is what is left of the deadline
 * after waiting for a connection; it covers connecting, waiting and reading.
 */
export function sendRequest(spec: RequestSpec, remainingMs: number): Promise<RequestOutcome> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const settle = (outcome: RequestOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const fail = (failure: FailureKind, message: string): void => settle({ ok: false, failure, message });

    const tls = spec.url.protocol === 'https:';
    const request = (tls ? https : http).request({
      // Always the IPv4 loopback, even for `localhost`: what that name resolves
      // to depends on /etc/hosts, and the load must not leave this machine.
      host: '127.0.0.1',
      port: spec.url.port || (tls ? 443 : 80),
      path: `${spec.url.pathname}${spec.url.search}`,
      method: spec.method,
      agent: spec.agent,
      headers: { host: spec.host ?? spec.url.host, ...(spec.method === 'POST' ? { 'content-length': '0' } : {}) },
      // SNI and the certificate's check use the URL's name, not 127.0.0.1; an
      // IP is sent no SNI (RFC 6066) and checked as such.
      ...(tls ? { ca: spec.ca, servername: isIP(spec.url.hostname) ? '' : spec.url.hostname } : {}),
    });

    const deadline = setTimeout(() => {
      if (connected) fail('timeout', `no complete response within ${spec.timeoutMs}ms of the scheduled send`);
      else fail('connect', `not connected within ${spec.timeoutMs}ms of the scheduled send`);
      request.destroy();
    }, remainingMs);

    request.on('socket', (socket: Socket) => {
      // A reused keep-alive socket is already connected and emits no 'connect'.
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    request.on('error', (error) => fail(failureOfError(error), error.message || String(error)));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const failure = failureOfStatus(status);
      // Drained either way, so a keep-alive socket is free for the next request.
      response.resume();
      if (failure !== undefined) {
        fail(failure, `${status} ${response.statusMessage ?? ''}`.trim());
        return;
      }
      const backend = response.headers['x-backend'];
      response.on('end', () => settle({ ok: true, status, backend: Array.isArray(backend) ? backend[0] : backend }));
      response.on('error', (error) => fail(failureOfError(error), `body cut short: ${error.message}`));
      response.on('close', () => {
        if (!response.complete) fail('reset', `connection closed before the ${status} body was complete`);
      });
    });
    request.end();
  });
}
