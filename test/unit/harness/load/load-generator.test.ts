import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatReport, startLoad, type LoadOptions, type LoadReport } from '../../../../harness/load/load-generator.ts';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

interface TestServer {
  url: string;
  /** How many TCP connections the server accepted. */
  connections(): number;
  /** How many requests reached the handler. */
  requests(): number;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1, port 0. */
async function listen(handler: Handler): Promise<TestServer> {
  const server = http.createServer(handler);
  let connections = 0;
  let requests = 0;
  server.on('connection', () => (connections += 1));
  server.on('request', () => (requests += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => connections,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const answerOk: Handler = (_request, response) => response.end('ok');

function options(url: string, overrides: Partial<LoadOptions> = {}): LoadOptions {
  return { url, rate: 100, durationMs: 300, connections: 10, keepAlive: true, timeoutMs: 2000, ...overrides };
}

function assertSettled(report: LoadReport): void {
  assert.equal(report.ok + report.failed, report.sent, formatReport(report));
  const failures = Object.values(report.failures).reduce((a, b) => a + b, 0);
  assert.equal(failures, report.failed);
}

test('refuses a URL that is not 127.0.0.1 or localhost', () => {
  assert.throws(() => startLoad(options('http://10.0.0.5:8080/')), {
    name: 'TypeError',
    message: 'Expected `url` to target 127.0.0.1 or localhost (load goes nowhere else), got `10.0.0.5` in `http://10.0.0.5:8080/`',
  });
  assert.throws(() => startLoad(options('http://example.com/')), /got `example.com`/);
  assert.throws(() => startLoad(options('http://127.0.0.1.example.com/')), /got `127.0.0.1.example.com`/);
  assert.throws(() => startLoad(options('http://[::ffff:7f00:1]/')), /to target 127.0.0.1 or localhost/);
  assert.throws(() => startLoad(options('ftp://127.0.0.1/')), {
    message: 'Expected `url` to use http: or https:, got `ftp:` in `ftp://127.0.0.1/`',
  });
  assert.throws(() => startLoad(options('127.0.0.1:8080')), /Expected `url` to/);
  assert.throws(() => startLoad(options('not a url')), {
    message: 'Expected `url` to be an http://127.0.0.1:<port>/ URL, got `not a url`',
  });
});

test('refuses a rate, connection count or timeout out of range', () => {
  const url = 'http://127.0.0.1:1/';
  assert.throws(() => startLoad(options(url, { rate: 0 })), { message: 'Expected `rate` to be a positive number, got `0` (number)' });
  assert.throws(() => startLoad(options(url, { connections: 1.5 })), {
    message: 'Expected `connections` to be a positive integer, got `1.5` (number)',
  });
  assert.throws(() => startLoad(options(url, { timeoutMs: -1 })), { message: 'Expected `timeoutMs` to be a positive number, got `-1` (number)' });
  assert.throws(() => startLoad(options(url, { durationMs: Number.NaN })), /`durationMs` to be a non-negative number/);
});

test('a run with a duration sends rate * duration requests, all ok', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { rate: 200, durationMs: 1000 })).done;
  assert.equal(report.sent, 200);
  assert.equal(report.ok, 200, formatReport(report));
  assert.equal(server.requests(), 200);
  assertSettled(report);
});

test('the rate is honoured over a second of wall time', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const run = startLoad(options(server.url, { rate: 200, durationMs: undefined }));
  await sleep(1000);
  const report = await run.stop();
  assert.ok(report.sent >= 180 && report.sent <= 220, `sent ${report.sent}, expected 180..220`);
  assertSettled(report);
});

test('localhost is accepted, connected to as 127.0.0.1 and kept in the Host header', async (t) => {
  const hosts = new Set<string | undefined>();
  const server = await listen((request, response) => {
    hosts.add(request.headers.host);
    response.end('ok');
  });
  t.after(() => server.close());
  const url = server.url.replace('127.0.0.1', 'localhost');
  const report = await startLoad(options(url, { durationMs: 100 })).done;
  assert.ok(report.sent > 0);
  assert.equal(report.ok, report.sent);
  assert.deepEqual([...hosts], [new URL(url).host]);
});

test('routes: each request takes the next Host header and path in turn, on the URL\'s port', async (t) => {
  const seen: string[] = [];
  const server = await listen((request, response) => {
    seen.push(`${request.headers.host} ${request.url}`);
    response.end('ok');
  });
  t.after(() => server.close());
  const routes = [{ host: 'shop.localhost', path: '/' }, { host: 'blog.localhost', path: '/' }, { host: 'any.localhost', path: '/docs/a?b=1' }];
  const report = await startLoad(options(server.url, { rate: 300, durationMs: 100, connections: 1, routes })).done;
  assert.equal(report.ok, report.sent);
  assert.ok(seen.length >= 6, `${seen.length} requests`);
  seen.forEach((line, i) => assert.equal(line, ['shop.localhost /', 'blog.localhost /', 'any.localhost /docs/a?b=1'][i % 3]));
});

test('refuses empty routes, a path not from / and an empty host', () => {
  for (const routes of [[], [{ host: 'a', path: 'docs' }], [{ host: '', path: '/' }]]) {
    assert.throws(() => startLoad(options('http://127.0.0.1:1/', { routes })), /Expected `routes` to be one or more \{ host, path \} with a path from \//);
  }
});

test('counts ok responses per x-backend and when each backend was first seen', async (t) => {
  let served = 0;
  const server = await listen((_request, response) => {
    served += 1;
    response.setHeader('x-backend', served <= 10 ? 'web1' : 'web2');
    response.end('ok');
  });
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { rate: 100, durationMs: 300, connections: 1 })).done;
  assert.equal(report.sent, 30);
  assert.deepEqual(report.backends, { web1: 10, web2: 20 });
  const { web1, web2 } = report.firstSeen;
  assert.ok(web1 !== undefined && web2 !== undefined);
  assert.ok(web1 >= 0 && web2 > web1, `firstSeen web1=${web1} web2=${web2}`);
});

test('a 503 answer counts as http5xx, a 404 as http4xx', async (t) => {
  const server = await listen((request, response) => {
    response.statusCode = request.url === '/missing' ? 404 : 503;
    response.end('no');
  });
  t.after(() => server.close());
  const unavailable = await startLoad(options(server.url, { durationMs: 100 })).done;
  assert.equal(unavailable.ok, 0);
  assert.equal(unavailable.failures.http5xx, unavailable.sent);
  assert.deepEqual(unavailable.errors, ['http5xx: 503 Service Unavailable']);
  const missing = await startLoad(options(`${server.url}missing`, { durationMs: 100 })).done;
  assert.equal(missing.failures.http4xx, missing.sent);
  assertSettled(missing);
});

test('a server that destroys the socket before answering counts as reset', async (t) => {
  const server = await listen((request) => request.socket.destroy());
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { durationMs: 100 })).done;
  assert.ok(report.sent > 0);
  assert.equal(report.failures.reset, report.sent, formatReport(report));
  assertSettled(report);
});

test('a body cut short after a 200 status counts as reset, not ok', async (t) => {
  const server = await listen((request, response) => {
    response.writeHead(200, { 'content-length': '100' });
    response.write('only part of it', () => request.socket.destroy());
  });
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { durationMs: 100 })).done;
  assert.equal(report.ok, 0);
  assert.equal(report.failures.reset, report.sent, formatReport(report));
});

test('a server that never answers counts as timeout', { timeout: 10_000 }, async (t) => {
  const server = await listen(() => {});
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { durationMs: 100, timeoutMs: 200 })).done;
  assert.ok(report.sent > 0);
  assert.equal(report.failures.timeout, report.sent, formatReport(report));
  assert.deepEqual(report.errors, ['timeout: no complete response within 200ms of the scheduled send']);
});

test('a closed port counts as connect', async () => {
  const port = await closedPort();
  const report = await startLoad(options(`http://127.0.0.1:${port}/`, { durationMs: 100 })).done;
  assert.ok(report.sent > 0);
  assert.equal(report.failures.connect, report.sent, formatReport(report));
  assert.match(report.errors[0] ?? '', /^connect: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
});

test('keepAlive false opens a new connection per request', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { keepAlive: false, connections: 4 })).done;
  assert.equal(report.ok, report.sent);
  assert.equal(server.connections(), report.sent);
});

test('keepAlive true reuses at most `connections` sockets', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { keepAlive: true, connections: 4 })).done;
  assert.equal(report.ok, report.sent);
  assert.ok(server.connections() >= 1 && server.connections() <= 4, `${server.connections()} connections`);
});

test('POST sends an empty body', async (t) => {
  const methods = new Set<string>();
  const server = await listen((request, response) => {
    methods.add(`${request.method} ${request.headers['content-length']}`);
    response.end('ok');
  });
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { method: 'POST', durationMs: 50 })).done;
  assert.equal(report.ok, report.sent);
  assert.deepEqual([...methods], ['POST 0']);
});

test('sends that find every connection busy wait, count as missed, and their wait is in the latency', async (t) => {
  const server = await listen((_request, response) => setTimeout(() => response.end('ok'), 50));
  t.after(() => server.close());
  // 20 sends in 200ms through one connection that takes 50ms each: the last
  // cannot finish before 20 * 50 = 1000ms, about 800ms after it was scheduled.
  const report = await startLoad(options(server.url, { rate: 100, durationMs: 200, connections: 1, timeoutMs: 5000 })).done;
  assert.equal(report.sent, 20);
  assert.equal(report.ok, 20, formatReport(report));
  assert.ok(report.missed >= 15, `missed ${report.missed}`);
  assert.ok(report.latencyMs.max >= 700, `max latency ${report.latencyMs.max}ms`);
});

test('sends that fall behind past their deadline count as timeout and the run still ends', { timeout: 10_000 }, async (t) => {
  const server = await listen((_request, response) => setTimeout(() => response.end('ok'), 300));
  t.after(() => server.close());
  // One connection serving 300ms answers, 20 sends in 200ms, a 500ms deadline
  // from each scheduled time: the first makes it, the second may, the rest run
  // out of time in the queue or mid-request, and the run still ends.
  const report = await startLoad(options(server.url, { rate: 100, durationMs: 200, connections: 1, timeoutMs: 500 })).done;
  assert.equal(report.sent, 20);
  assert.ok(report.ok >= 1 && report.ok <= 2, formatReport(report));
  // A send still waiting for its connection when the deadline passes is a
  // connect failure, one waiting for the answer a timeout: on a busy machine
  // some of the queued sends are still connecting. Nothing else may fail.
  assert.equal(report.failures.timeout + report.failures.connect, report.sent - report.ok, formatReport(report));
  assertSettled(report);
});

test('stop() before the duration ends returns a settled report', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const run = startLoad(options(server.url, { durationMs: 10_000 }));
  await sleep(300);
  const report = await run.stop();
  assert.ok(report.sent > 0 && report.sent < 1000, `sent ${report.sent}`);
  assertSettled(report);
  assert.deepEqual(await run.done, report);
});

test('snapshot() during a run counts what has settled so far', async (t) => {
  const server = await listen(answerOk);
  t.after(() => server.close());
  const run = startLoad(options(server.url, { durationMs: undefined }));
  await sleep(200);
  const early = run.snapshot();
  assert.ok(early.sent > 0 && early.ok + early.failed <= early.sent);
  const final = await run.stop();
  assert.ok(final.sent >= early.sent);
});

test('perSecond buckets add up to the totals', async (t) => {
  let served = 0;
  const server = await listen((_request, response) => {
    served += 1;
    response.statusCode = served % 3 === 0 ? 503 : 200;
    response.end();
  });
  t.after(() => server.close());
  const report = await startLoad(options(server.url, { rate: 100, durationMs: 1500 })).done;
  assert.deepEqual(report.perSecond.map((s) => s.second), [0, 1]);
  assert.equal(report.perSecond.reduce((sum, s) => sum + s.ok, 0), report.ok);
  assert.equal(report.perSecond.reduce((sum, s) => sum + s.failed, 0), report.failed);
  assert.equal(report.failed, 50);
  assertSettled(report);
});

test('formatReport prints counts, failure kinds and latency on one line', () => {
  const report: LoadReport = {
    sent: 10, ok: 7, failed: 3,
    failures: { connect: 1, reset: 1, timeout: 0, http5xx: 1, http4xx: 0, other: 0 },
    backends: {}, firstSeen: {}, perSecond: [],
    latencyMs: { p50: 1.5, p95: 12, p99: 20.1, max: 30 },
    missed: 2, errors: [],
  };
  assert.equal(formatReport(report), 'sent=10 ok=7 failed=3 connect=1 reset=1 timeout=0 5xx=1 4xx=0 other=0 missed=2 p50=1.5ms p95=12ms p99=20.1ms');
});
