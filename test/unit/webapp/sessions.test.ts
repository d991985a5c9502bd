import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSessionStore } from '../../../webapp/lib/sessions.ts';
import { sessionCookie, sessionIdFromCookie } from '../../../webapp/lib/session-cookie.ts';

test('a first visit opens a new session with one view', () => {
  const visit = createSessionStore(10).visit(undefined);
  assert.equal(visit.views, 1);
  assert.equal(visit.isNew, true);
  assert.match(visit.sessionId, /^[A-Za-z0-9_-]{24}$/);
});

test('a known session counts its views', () => {
  const store = createSessionStore(10);
  const first = store.visit(undefined);
  assert.deepEqual(store.visit(first.sessionId), { sessionId: first.sessionId, views: 2, isNew: false });
  assert.deepEqual(store.visit(first.sessionId), { sessionId: first.sessionId, views: 3, isNew: false });
});

test('an unknown session id is replaced by a fresh one', () => {
  const visit = createSessionStore(10).visit('made-up');
  assert.notEqual(visit.sessionId, 'made-up');
  assert.equal(visit.views, 1);
  assert.equal(visit.isNew, true);
});

test('beyond the limit the least recently seen session is evicted', () => {
  const store = createSessionStore(2);
  const a = store.visit(undefined).sessionId;
  const b = store.visit(undefined).sessionId;
  store.visit(a);
  store.visit(undefined);
  assert.equal(store.size, 2);
  assert.equal(store.visit(a).views, 3, 'a was seen after b, so it stays');
  assert.equal(store.visit(b).isNew, true, 'b was the least recently seen, so it went');
});

test('the store never holds more than its limit', () => {
  const store = createSessionStore(100);
  for (let i = 0; i < 1000; i += 1) store.visit(undefined);
  assert.equal(store.size, 100);
});

test('a session limit below 1 is refused', () => {
  assert.throws(() => createSessionStore(0), { message: 'expected the session limit to be a positive integer, got 0' });
});

test('reads the session id among other cookies', () => {
  assert.equal(sessionIdFromCookie('theme=dark; session=abc123; lang=en'), 'abc123');
  assert.equal(sessionIdFromCookie('session=abc123'), 'abc123');
});

test('no cookie header, no session cookie or an empty one gives no session id', () => {
  assert.equal(sessionIdFromCookie(undefined), undefined);
  assert.equal(sessionIdFromCookie('theme=dark; mysession=x'), undefined);
  assert.equal(sessionIdFromCookie('session='), undefined);
});

test('the session cookie is HttpOnly, SameSite=Lax and for the whole site', () => {
  assert.equal(sessionCookie('abc'), 'session=abc; Path=/; HttpOnly; SameSite=Lax');
});
