import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../../handlers/members/member.ts';
import type { Server } from '../../../../handlers/pool/server.ts';
import { EVENTS, type EventName } from '../../../../handlers/pipeline/events.ts';

const NOW = '2026-01-01T00:00:00.000Z';

/** An event's decision through the table, as the pipeline makes it, on an empty store. */
const changesFor = (event: Exclude<EventName, 'reconcile' | 'render'>, members: Member[], role: string, now: string) => EVENTS[event].decide(members, [], { role, now });
const desiredSet = (current: { name: string }[], alive: Member[], role: string, now: string) => EVENTS.reconcile.decide(alive, current.map(stored), { role, now });

/** A stored server of that name, as the store would hand it over. */
function stored({ name }: { name: string }): Server {
  return { name, address: '10.0.0.99', port: 3000, weight: 1, tags: { role: 'backend' }, updated: NOW };
}

function member(name: string, address = '10.0.0.5', role = 'backend', tags: Record<string, string> = {}): Member {
  return { name, address, role, tags: new Map(Object.entries({ role, ...tags })) };
}

test('join puts each backend and ignores other roles with a reason', () => {
  const verdict = changesFor('member-join', [member('web1'), member('ha1', '10.0.0.2', 'lb')], 'backend', NOW);
  assert.deepEqual(verdict.changes.map((c) => [c.kind, c.kind === 'put' ? c.server.name : c.name]), [['put', 'web1']]);
  assert.deepEqual(verdict.ignored, ['ha1: role "lb" is not "backend"']);
  assert.deepEqual(verdict.rejected, []);
});

test('the backend role is configurable', () => {
  const verdict = changesFor('member-join', [member('web1'), member('api1', '10.0.0.9', 'api')], 'api', NOW);
  assert.deepEqual(verdict.changes.map((c) => c.kind === 'put' && c.server.name), ['api1']);
  assert.equal(verdict.ignored.length, 1);
});

test('a bad member is rejected with its name and the rest of the batch still applies', () => {
  const verdict = changesFor('member-join', [member('web1'), member('../../etc/passwd'), member('web2', '10.0.0.05'), member('web3', '10.0.0.7')], 'backend', NOW);
  assert.deepEqual(verdict.changes.map((c) => c.kind === 'put' && c.server.name), ['web1', 'web3']);
  assert.deepEqual(verdict.rejected, [
    'member "../../etc/passwd": node name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$, got "../../etc/passwd"',
    'member "web2": address must be an IPv4 or IPv6 literal, got "10.0.0.05"',
  ]);
});

test('update writes a backend like join does', () => {
  const verdict = changesFor('member-update', [member('web1', '10.0.0.8', 'backend', { port: '4000' })], 'backend', NOW);
  const [change] = verdict.changes;
  assert.ok(change?.kind === 'put');
  assert.equal(change.server.address, '10.0.0.8');
  assert.equal(change.server.port, 4000);
});

test('update that moves a backend to another role removes it', () => {
  const verdict = changesFor('member-update', [member('web1', '10.0.0.5', 'retired')], 'backend', NOW);
  assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }]);
  assert.equal(verdict.ignored.length, 1);
});

for (const entry of ['member-leave', 'member-failed', 'member-reap'] as const) {
  test(`${entry} removes by name whatever the address, role or tags`, () => {
    const verdict = changesFor(entry, [member('web1', 'not-an-address', 'backend', { port: 'junk' }), member('ha1', '10.0.0.2', 'lb')], 'backend', NOW);
    assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }, { kind: 'remove', name: 'ha1' }]);
    assert.deepEqual(verdict.rejected, []);
  });

  test(`${entry} rejects a name that could leave the nodes directory`, () => {
    const verdict = changesFor(entry, [member('../../etc/passwd'), member('web2')], 'backend', NOW);
    assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web2' }]);
    assert.equal(verdict.rejected.length, 1);
  });
}

test('an ignored member with a hostile name is rejected, not ignored', () => {
  const verdict = changesFor('member-update', [member('x\nserver evil 6.6.6.6:80', '10.0.0.2', 'lb')], 'backend', NOW);
  assert.deepEqual(verdict.changes, []);
  assert.deepEqual(verdict.ignored, []);
  assert.equal(verdict.rejected.length, 1);
});

test('reconcile keeps alive backends and removes every stored name not among them', () => {
  const verdict = desiredSet([{ name: 'web1' }, { name: 'gone' }], [member('web1'), member('web2', '10.0.0.6'), member('ha1', '10.0.0.2', 'lb')], 'backend', NOW);
  assert.deepEqual(
    verdict.changes.map((c) => [c.kind, c.kind === 'put' ? c.server.name : c.name]),
    [['put', 'web1'], ['put', 'web2'], ['remove', 'gone']],
  );
});

test('reconcile removes a stored backend whose live member no longer validates', () => {
  const verdict = desiredSet([{ name: 'web1' }], [member('web1', '10.0.0.5', 'backend', { port: '0' })], 'backend', NOW);
  assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }]);
  assert.equal(verdict.rejected.length, 1);
});

test('reconcile with no live members removes everything', () => {
  const verdict = desiredSet([{ name: 'web1' }, { name: 'web2' }], [], 'backend', NOW);
  assert.deepEqual(verdict.changes, [{ kind: 'remove', name: 'web1' }, { kind: 'remove', name: 'web2' }]);
});

test('render keeps the store as it is, whatever it is given', () => {
  const verdict = EVENTS.render.decide([member('web1')], [stored({ name: 'web2' })], { role: 'backend', now: NOW });
  assert.deepEqual(verdict, { changes: [], rejected: [], ignored: [], warnings: [] });
});
