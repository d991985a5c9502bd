import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type RunningApp } from './webapp-client.ts';

// A drain that never ends should fail its test, not hang the run.
const timeout = 10_000;

/** GETs `path` back to back until the server stops listening; a request cut off by the close is not a failure. */
async function getUntilClosed(running: RunningApp, path: string): Promise<number[]> {
  const statuses: number[] = [];
  while (running.app.server.listening) {
    try {
      statuses.push((await running.get(path)).status);
    } catch (error) {
      if (running.app.server.listening) throw error;
    }
    await sleep(20);
  }
  return statuses;
}

test('once draining, /health answers 503 while GET / is still served', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 300 });
  t.after(() => running.stop());
  const drained = running.app.drain();
  const health = await running.get('/health');
  assert.equal(health.status, 503);
  assert.deepEqual(health.json, { status: 'draining' });
  assert.equal(health.headers['x-backend'], 'web-test');
  const greeting = await running.get('/');
  assert.equal(greeting.status, 200);
  assert.equal(greeting.json.views, 1);
  assert.equal((await drained).requestsWhileDraining, 1);
});

test('with no requests the server closes after the quiet period and logs each phase', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 100 });
  t.after(() => running.stop());
  await running.get('/');
  const outcome = await running.app.drain();
  assert.deepEqual(outcome, { end: 'quiet', requestsWhileDraining: 0, ended: 0 });
  assert.equal(running.app.server.listening, false);
  assert.deepEqual(running.logs.map((line) => line.msg), ['drain started', 'drain quiet reached', 'server closed']);
  assert.deepEqual(running.logs[0]?.fields, { quiet_ms: 100, max_ms: 5000 });
  assert.equal(typeof running.logs[1]?.fields.elapsed_ms, 'number');
});

test('the server stays open while requests keep arriving, then closes their idle connections', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 200, drainMaxMs: 8000 });
  t.after(() => running.stop());
  const drained = running.app.drain();
  // 15 requests about 20 ms apart span longer than the quiet period.
  for (let i = 0; i < 15; i += 1) {
    assert.equal((await running.get('/')).status, 200);
    assert.equal(running.app.server.listening, true, `closed after request ${i + 1} although requests kept coming`);
    await sleep(20);
  }
  assert.deepEqual(await drained, { end: 'quiet', requestsWhileDraining: 15, ended: 0 });
  assert.equal(running.app.server.listening, false);
});

test('health checks alone do not hold the drain open', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 150, drainMaxMs: 8000 });
  t.after(() => running.stop());
  const drained = running.app.drain();
  const statuses = await getUntilClosed(running, '/health');
  assert.ok(statuses.length > 0);
  assert.deepEqual(new Set(statuses), new Set([503]));
  assert.deepEqual(await drained, { end: 'quiet', requestsWhileDraining: 0, ended: 0 });
});

test('the drain cap closes the server even while requests keep coming', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 200, drainMaxMs: 400 });
  t.after(() => running.stop());
  const drained = running.app.drain();
  const statuses = await getUntilClosed(running, '/');
  assert.deepEqual(new Set(statuses), new Set([200]));
  const outcome = await drained;
  assert.equal(outcome.end, 'max');
  assert.ok(running.logs.some((line) => line.msg === 'drain max reached'));
});

test('a request in flight when the server closes is answered, with Connection: close', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 50 });
  t.after(() => running.stop());
  await running.send('POST', '/delay', { body: '{"delay": 400}' });
  const slow = running.get('/');
  await sleep(50);
  const drained = running.app.drain();
  // The quiet period (50 ms) ends long before the 400 ms delay: the server is closing when it answers.
  const reply = await slow;
  assert.equal(reply.status, 200);
  assert.equal(reply.json.delay, 400);
  assert.equal(reply.headers.connection, 'close');
  assert.deepEqual(await drained, { end: 'quiet', requestsWhileDraining: 0, ended: 0 });
});

test('draining twice is one drain', { timeout }, async (t) => {
  const running = await startApp({ drainQuietMs: 50 });
  t.after(() => running.stop());
  const first = running.app.drain();
  assert.equal(running.app.drain(), first);
  await first;
  assert.equal(running.logs.filter((line) => line.msg === 'drain started').length, 1);
});
