import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { startApp, type RunningApp } from './webapp-client.ts';

// A drain that never ends should fail its test, not hang the run.
const timeout = 10_000;

const portOf = (running: RunningApp) => (running.app.server.address() as AddressInfo).port;

async function openWebSocket(running: RunningApp): Promise<{ ws: WebSocket; backend: string | undefined }> {
  const ws = new WebSocket(`ws://127.0.0.1:${portOf(running)}/ws`);
  // 'open' follows 'upgrade' in the same tick: both are awaited from the start.
  const [[response]] = (await Promise.all([once(ws, 'upgrade'), once(ws, 'open')])) as [[IncomingMessage], unknown];
  return { ws, backend: response.headers['x-backend'] as string | undefined };
}

/** What ended a WebSocket: its close code, or the error that came first. */
function endOf(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    ws.once('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    ws.once('close', (code) => resolve(`close ${code}`));
  });
}

function openEvents(running: RunningApp): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get({ host: '127.0.0.1', port: portOf(running), path: '/events' }, resolve).on('error', reject));
}

/** How a stream ended: 'end' once its last byte came, or the error. */
function streamEndOf(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    stream.on('data', () => {});
    stream.once('end', () => resolve('end'));
    stream.once('error', (error) => resolve(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  });
}

test('GET /ws is a WebSocket that echoes each message, from the named backend', { timeout }, async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const { ws, backend } = await openWebSocket(running);
  assert.equal(backend, 'web-test');
  ws.send('hello');
  const [echo] = (await once(ws, 'message')) as [Buffer];
  assert.equal(echo.toString(), 'hello');
  // Upgraded connections are the app's, not the HTTP server's: stop() would wait for this one.
  ws.terminate();
  await once(ws, 'close');
});

test('GET /events streams numbered events naming the backend', { timeout }, async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const stream = await openEvents(running);
  t.after(() => stream.destroy());
  assert.equal(stream.headers['content-type'], 'text/event-stream');
  let text = '';
  stream.setEncoding('utf8');
  while (!text.includes('\n\nid: 1\n')) text += ((await once(stream, 'data')) as [string])[0];
  assert.match(text, /id: 1\ndata: \{"server":"web-test","n":1\}\n\n/);
});

test('a drain closes each WebSocket with 1001 and ends each event stream, then exits with nothing left to end', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 100 });
  t.after(() => running.stop());
  const sockets = await Promise.all([openWebSocket(running), openWebSocket(running)]);
  const wsEnds = sockets.map(({ ws }) => endOf(ws));
  const streamEnd = streamEndOf(await openEvents(running));
  const outcome = await running.app.drain();
  assert.deepEqual(await Promise.all(wsEnds), ['close 1001', 'close 1001']);
  assert.equal(await streamEnd, 'end');
  assert.deepEqual(outcome, { end: 'quiet', requestsWhileDraining: 0, ended: 0 });
});

test('a draining server refuses new WebSockets and event streams with 503, for HAProxy to retry elsewhere', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 500 });
  t.after(() => running.stop());
  const drained = running.app.drain();
  const ws = new WebSocket(`ws://127.0.0.1:${portOf(running)}/ws`);
  ws.on('error', () => {});
  const [, refused] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
  assert.equal(refused.statusCode, 503);
  assert.equal((await openEvents(running)).statusCode, 503);
  await drained;
});

/** A raw connection that sends `data` and never finishes its request. */
async function unfinished(running: RunningApp, data: string): Promise<Socket> {
  const socket = connect(portOf(running), '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(data);
  return socket;
}

for (const [what, data] of <[string, string][]>[
  ['partial headers', 'GET / HTTP/1.1\r\nHost: x\r\nX-a: '],
  ['an unfinished body', 'POST /delay HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"del'],
]) {
  test(`the drain maximum bounds the exit: a connection with ${what} is ended when it runs out`, { timeout }, async (t) => {
    const running = await startApp({ drainQuietMs: 50, drainMaxMs: 300 });
    t.after(() => running.stop());
    const socket = await unfinished(running, data);
    const closed = once(socket, 'close');
    const outcome = await running.app.drain();
    await closed;
    assert.equal(outcome.ended, 1);
    assert.equal(running.app.server.listening, false);
    assert.ok(running.logs.some((line) => line.msg === 'drain max reached, connections ended'));
  });
}

test('a WebSocket client that never answers the close frame is ended when the drain maximum runs out', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 50, drainMaxMs: 300 });
  t.after(() => running.stop());
  const key = 'dGhlIHNhbXBsZSBub25jZQ==';
  const socket = await unfinished(running, `GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const closed = once(socket, 'close');
  await once(socket, 'data');
  const outcome = await running.app.drain();
  await closed;
  assert.equal(outcome.ended, 1);
});

test('a 50 MB chunked body to POST /delay gets the one-line 400, not a reset', { timeout: 30_000 }, async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const socket = connect(portOf(running), '127.0.0.1');
  let error = '';
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  await once(socket, 'connect');
  socket.write('POST /delay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
  const chunk = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
  for (let sent = 0; sent < 50 * 1024 * 1024 && !socket.destroyed; sent += 0x10000) {
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
  }
  if (!socket.destroyed) socket.write('0\r\n\r\n');
  await once(socket, 'close');
  assert.equal(error, '');
  assert.match(received, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.ok(received.endsWith('\r\n\r\n{"error":"expected a body of at most 4096 bytes, got more"}'), received);
});
