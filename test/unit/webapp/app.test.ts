import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieFrom, startApp } from './webapp-client.ts';

test('GET / greets with the ip, hostname, views and session, from the named backend', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const reply = await running.get('/');
  assert.equal(reply.status, 200);
  assert.equal(reply.headers['x-backend'], 'web-test');
  assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
  const { session, ...rest } = reply.json;
  assert.deepEqual(rest, { message: 'Hello from web-test', path: '/', ip: '10.0.0.7', hostname: 'host-test', views: 1, delay: 0 });
  assert.equal(cookieFrom(reply), `session=${String(session)}`);
  assert.match(String(reply.headers['set-cookie']), /; Path=\/; HttpOnly; SameSite=Lax$/);
});

test('the view counter counts with the cookie and restarts without it', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const first = await running.get('/');
  const cookie = cookieFrom(first);
  const second = await running.get('/', { cookie });
  const third = await running.get('/', { cookie });
  assert.deepEqual([first.json.views, second.json.views, third.json.views], [1, 2, 3]);
  assert.equal(third.json.session, first.json.session);
  assert.equal(third.headers['set-cookie'], undefined, 'a known session needs no new cookie');
  const fresh = await running.get('/');
  assert.equal(fresh.json.views, 1);
  assert.notEqual(fresh.json.session, first.json.session);
});

test('an unknown session cookie gets a new session', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const reply = await running.get('/', { cookie: 'session=from-another-backend' });
  assert.equal(reply.json.views, 1);
  assert.notEqual(reply.json.session, 'from-another-backend');
  assert.equal(cookieFrom(reply), `session=${String(reply.json.session)}`);
});

test('sessions beyond the limit are evicted, least recently seen first', async (t) => {
  const running = await startApp({ sessionLimit: 2 });
  t.after(() => running.stop());
  const a = cookieFrom(await running.get('/'));
  const b = cookieFrom(await running.get('/'));
  await running.get('/', { cookie: a });
  await running.get('/');
  assert.equal((await running.get('/', { cookie: a })).json.views, 3);
  assert.equal((await running.get('/', { cookie: b })).json.views, 1);
});

test('GET /health answers ok', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const reply = await running.get('/health');
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.json, { status: 'ok' });
  assert.equal(reply.headers['x-backend'], 'web-test');
});

test('POST /delay delays every GET / after it', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const set = await running.send('POST', '/delay', { body: '{"delay": 200}' });
  assert.equal(set.status, 200);
  assert.deepEqual(set.json, { delay: 200 });
  const started = performance.now();
  const reply = await running.get('/');
  assert.equal(reply.json.delay, 200);
  assert.ok(performance.now() - started >= 150, 'GET / answered before its delay');
  assert.deepEqual(running.logs.map((line) => [line.msg, line.fields]), [['delay set', { delay_ms: 200 }]]);
  await running.send('POST', '/delay', { body: '{"delay": 0}' });
  assert.equal((await running.get('/')).json.delay, 0);
});

const badBodies: [name: string, body: string, error: string][] = [
  ['not JSON', 'abc', 'expected {"delay": integer 0..60000}, got "abc"'],
  ['no delay', '{}', 'expected {"delay": integer 0..60000}, got no "delay" field'],
  ['a string delay', '{"delay": "5"}', 'expected "delay" to be an integer 0..60000, got "5" (string)'],
  ['a fraction', '{"delay": 0.5}', 'expected "delay" to be an integer 0..60000, got 0.5 (number)'],
  ['a delay out of range', '{"delay": 60001}', 'expected "delay" to be an integer 0..60000, got 60001 (number)'],
  ['a body over 4 KB', `{"delay": 1, "pad": "${'x'.repeat(5000)}"}`, 'expected a body of at most 4096 bytes, got 5023'],
];

for (const [name, body, error] of badBodies) {
  test(`POST /delay with ${name} answers 400 and keeps the delay`, async (t) => {
    const running = await startApp();
    t.after(() => running.stop());
    const reply = await running.send('POST', '/delay', { body });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.json, { error });
    assert.equal(reply.headers['x-backend'], 'web-test');
    assert.equal((await running.get('/')).json.delay, 0);
  });
}

test('a chunked body over 4 KB is refused too', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const reply = await running.send('POST', '/delay', {
    body: `{"delay": 1, "pad": "${'x'.repeat(5000)}"}`,
    headers: { 'transfer-encoding': 'chunked' },
  });
  assert.equal(reply.status, 400);
  assert.deepEqual(reply.json, { error: 'expected a body of at most 4096 bytes, got more' });
});

test('a wrong method on a known path answers 405 with Allow', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const getDelay = await running.get('/delay');
  assert.equal(getDelay.status, 405);
  assert.equal(getDelay.headers.allow, 'POST');
  assert.deepEqual(getDelay.json, { error: 'expected POST for /delay, got GET' });
  const postRoot = await running.send('POST', '/', { body: '{}' });
  assert.equal(postRoot.status, 405);
  assert.equal(postRoot.headers.allow, 'GET, HEAD');
  assert.deepEqual(postRoot.json, { error: 'expected GET or HEAD for /, got POST' });
  assert.equal((await running.send('DELETE', '/health')).status, 405);
});

test('any other path is greeted and named, as a service routed by a path prefix gets it', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  const reply = await running.get('/docs/intro?x=1');
  assert.equal(reply.status, 200);
  assert.equal((reply.json as { message: string; path: string }).message, 'Hello from web-test');
  assert.equal((reply.json as { path: string }).path, '/docs/intro');
  assert.equal(reply.headers['x-backend'], 'web-test');
  const post = await running.send('POST', '/docs/intro', { body: '{}' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
});

test('a query string does not change the route', async (t) => {
  const running = await startApp();
  t.after(() => running.stop());
  assert.deepEqual((await running.get('/health?probe=1')).json, { status: 'ok' });
});
