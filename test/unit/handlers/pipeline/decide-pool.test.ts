import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../../handlers/members/member.ts';
import type { Server } from '../../../../handlers/pool/server.ts';
import { decidePool } from '../../../../handlers/pipeline/decide-pool.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const RULES = { role: 'backend', now: NOW, mayRemove: true };

/** A stored server of that name, as the store would hand it over. */
function stored(name: string): Server {
  return { name, address: '10.0.0.99', port: 3000, weight: 1, tags: { role: 'backend' }, updated: NOW };
}

function member(name: string, address = '10.0.0.5', role = 'backend', tags: Record<string, string> = {}): Member {
  return { name, address, role, tags: new Map(Object.entries({ role, ...tags })) };
}

const summary = (verdict: ReturnType<typeof decidePool>) => verdict.changes.map((c) => [c.kind, c.kind === 'put' ? c.server.name : c.name]);

test('each alive backend is put, other roles are counted as ignored', () => {
  const verdict = decidePool([member('web1'), member('ha1', '10.0.0.2', 'lb')], [], RULES);
  assert.deepEqual(summary(verdict), [['put', 'web1']]);
  assert.equal(verdict.ignored, 1);
  assert.deepEqual(verdict.rejected, []);
});

test('the backend role is configurable', () => {
  const verdict = decidePool([member('web1'), member('api1', '10.0.0.9', 'api')], [], { ...RULES, role: 'api' });
  assert.deepEqual(summary(verdict), [['put', 'api1']]);
  assert.equal(verdict.ignored, 1);
});

test('a bad member is rejected with its name and the rest still applies', () => {
  const verdict = decidePool([member('web1'), member('../../etc/passwd'), member('web2', '10.0.0.05'), member('web3', '10.0.0.7')], [], RULES);
  assert.deepEqual(summary(verdict), [['put', 'web1'], ['put', 'web3']]);
  assert.deepEqual(verdict.rejected, [
    'member "../../etc/passwd": node name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$, got "../../etc/passwd"',
    'member "web2": address must be an IPv4 or IPv6 literal, got "10.0.0.05"',
  ]);
  assert.deepEqual([...verdict.rejectedNames], ['web2'], 'only a name a file could hold is kept');
});

test('a new address and port replace the old entry', () => {
  const verdict = decidePool([member('web1', '10.0.0.8', 'backend', { port: '4000' })], [stored('web1')], RULES);
  const [change] = verdict.changes;
  assert.ok(change?.kind === 'put');
  assert.equal(change.server.address, '10.0.0.8');
  assert.equal(change.server.port, 4000);
});

test('a stored backend whose member moved to another role is removed', () => {
  const verdict = decidePool([member('web1', '10.0.0.5', 'retired')], [stored('web1')], RULES);
  assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }]);
  assert.equal(verdict.ignored, 1);
});

test('a member of another role with a hostile name is rejected, not ignored', () => {
  const verdict = decidePool([member('x\nserver evil 6.6.6.6:80', '10.0.0.2', 'lb')], [], RULES);
  assert.deepEqual(verdict.changes, []);
  assert.equal(verdict.ignored, 0);
  assert.equal(verdict.rejected.length, 1);
});

test('alive backends are kept and every stored name not among them is removed', () => {
  const verdict = decidePool([member('web1'), member('web2', '10.0.0.6'), member('ha1', '10.0.0.2', 'lb')], [stored('web1'), stored('gone')], RULES);
  assert.deepEqual(summary(verdict), [['put', 'web1'], ['put', 'web2'], ['remove', 'gone']]);
});

test('a member whose tags turned invalid keeps its last good server (F3: bad input changes nothing)', () => {
  const verdict = decidePool([member('web1', '10.0.0.5', 'backend', { port: '99999' })], [stored('web1')], RULES);
  assert.deepEqual(verdict.changes, []);
  assert.deepEqual(verdict.rejected, ['member "web1": port tag must be an integer from 1 to 65535, got "99999"']);
});

test('no live members: everything is removed', () => {
  const verdict = decidePool([], [stored('web1'), stored('web2')], RULES);
  assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }, { kind: 'remove', name: 'web2' }]);
});

test('an agent that cannot prove a server gone adds but removes nothing, and says so', () => {
  const verdict = decidePool([member('web2', '10.0.0.6')], [stored('web1')], { ...RULES, mayRemove: false });
  assert.deepEqual(summary(verdict), [['put', 'web2']]);
  assert.equal(verdict.warnings.length, 1);
  assert.match(verdict.warnings[0]!.reason, /kept 1 server\(s\) it does not list \(web1\)/);
});

test('tags the template cannot print are reported once, when the entry is new or changed', () => {
  const odd = member('web1', '10.0.0.5', 'backend', { note: 'a b' });
  const first = decidePool([odd], [], RULES);
  assert.deepEqual(first.warnings.map((w) => w.msg), ['tags hidden from the template']);
  const put = first.changes[0]!;
  assert.ok(put.kind === 'put');
  assert.deepEqual(decidePool([odd], [put.server], RULES).warnings, []);
});
