import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Member } from '../../../../handlers/members/member.ts';
import { checkAddress, checkName, InvalidMember, quoted } from '../../../../handlers/members/validate-member.ts';
import { toServer } from '../../../../handlers/pool/server.ts';

const NOW = '2026-01-01T00:00:00.000Z';

function memberWith(overrides: Partial<Omit<Member, 'tags'>> = {}, tags: Record<string, string> = {}): Member {
  return { name: 'web1', address: '10.0.0.5', role: 'backend', tags: new Map(Object.entries({ role: 'backend', ...tags })), ...overrides };
}

function rejects(fn: () => unknown, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidMember, `expected InvalidMember, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes('\n'), 'reason must be one line');
    return true;
  });
}

test('a plain backend becomes a server with port 3000 and weight 1 by default', () => {
  assert.deepEqual(toServer(memberWith(), NOW), {
    name: 'web1',
    address: '10.0.0.5',
    port: 3000,
    weight: 1,
    tags: { role: 'backend' },
    updated: NOW,
  });
});

test('port and weight come from the tags and tags are stored sorted by key', () => {
  const backend = toServer(memberWith({}, { weight: '10', port: '8080', zone: 'a' }), NOW);
  assert.equal(backend.port, 8080);
  assert.equal(backend.weight, 10);
  assert.deepEqual(Object.keys(backend.tags), ['port', 'role', 'weight', 'zone']);
});

for (const name of ['a', 'web1', 'Web_1.example-2', '0', 'a'.repeat(63), 'x..y']) {
  test(`node name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}... (${name.length})` : name)} is accepted`, () => {
    assert.equal(checkName(name), name);
  });
}

const hostileNames: [string, string][] = [
  ['path traversal', '../../etc/passwd'],
  ['leading dot-dot', '..'],
  ['leading dot (hidden file)', '.lock'],
  ['slash', 'a/b'],
  ['backslash', 'a\\b'],
  ['newline plus server line', 'web1\n    server evil 6.6.6.6:80'],
  ['trailing newline', 'web1\n'],
  ['carriage return', 'web1\r'],
  ['space', 'web 1'],
  ['tab', 'web\t1'],
  ['empty', ''],
  ['64 characters', 'a'.repeat(64)],
  ['leading dash (looks like an option)', '-web1'],
  ['NUL byte', 'web\u00001'],
  ['non-ASCII letter', 'wéb1'],
  ['HAProxy comment sign', 'web#1'],
];
for (const [what, name] of hostileNames) {
  test(`node name rejected: ${what}`, () => {
    rejects(() => checkName(name), `node name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$, got ${quoted(name)}`);
  });
}

// Embedded IPv4 addresses that are ordinary are as good as the IPv4 address itself.
const ordinary = ['::ffff:10.0.0.5', '::ffff:0:10.0.0.5', '64:ff9b::a00:5', '64:ff9b:1:a00:0:500::', '2002:a00:5::', '169.253.255.255', '169.255.0.1', 'fec0::1'];
for (const address of ['10.0.0.5', '192.168.1.10', '172.17.255.255', '1.0.0.0', '2001:db8::1', 'fd00::2', '1:2:3:4:5:6:7:8', ...ordinary]) {
  test(`address ${address} is accepted`, () => {
    assert.equal(checkAddress(address), address);
  });
}

const badAddresses: [string, string][] = [
  ['leading zero in IPv4 (octal to some parsers)', '10.0.0.05'],
  ['leading zeros in every IPv4 octet', '010.000.000.001'],
  ['IPv4 octet above 255', '10.0.0.256'],
  ['IPv4 with three octets', '10.0.5'],
  ['IPv4 with a port', '10.0.0.5:3000'],
  ['IPv4 as one integer', '167772165'],
  ['IPv4 in hex', '0x0a.0.0.5'],
  ['IPv6 zone id', 'fe80::1%eth0'],
  ['IPv6 in brackets', '[::1]'],
  ['IPv6 with two double colons', '1::2::3'],
  ['IPv6 with a leading-zero IPv4 tail', '::ffff:010.0.0.5'],
  ['host name', 'web1.example.com'],
  ['localhost', 'localhost'],
  ['empty', ''],
  ['space after', '10.0.0.5 '],
  ['newline plus server line', '10.0.0.5\n    server evil 6.6.6.6:80'],
  ['trailing newline', '10.0.0.5\n'],
];
for (const [what, address] of badAddresses) {
  test(`address rejected: ${what}`, () => {
    rejects(() => checkAddress(address), `address must be an IPv4 or IPv6 literal, got ${quoted(address)}`);
  });
}

// Literals that parse but do not name one backend: HAProxy would send
// traffic to itself (0.0.0.0, loopback: its own stats page on port 1936) or
// to many hosts at once; a link-local one, to the host's own link (a cloud's
// metadata service at 169.254.169.254). Every spelling of an IPv4 address
// inside an IPv6 one counts as that IPv4 address.
const specialAddresses: [string, string][] = [
  ['169.254.169.254', 'link-local'],
  ['169.254.0.1', 'link-local'],
  ['fe80::1', 'link-local'],
  ['FEBF::ffff', 'link-local'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['::127.0.0.1', 'loopback'],
  ['::7f00:1', 'loopback'],
  ['::ffff:0:127.0.0.1', 'loopback'],
  ['0:0:0:0:ffff:0:7f00:1', 'loopback'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b:1:7f00:0:1::', 'loopback'],
  ['2002:7f00:1::', 'loopback'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
  ['::0.0.0.1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:0.0.0.0', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['FF05::2', 'multicast'],
  ['::ffff:224.0.0.1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['::ffff:255.255.255.255', 'broadcast'],
];
for (const [address, kind] of specialAddresses) {
  test(`address rejected: ${address} is ${kind}`, () => {
    rejects(() => checkAddress(address), `address ${quoted(address)} is ${kind}, not a backend's own address`);
  });
}

for (const port of ['1', '80', '65535']) {
  test(`port tag ${port} is accepted`, () => {
    assert.equal(toServer(memberWith({}, { port }), NOW).port, Number(port));
  });
}

for (const port of ['0', '65536', '99999', '80abc', '-1', '', ' 80', '8.0', '1e3', '0x50', '123456']) {
  test(`port tag rejected: ${JSON.stringify(port)}`, () => {
    rejects(() => toServer(memberWith({}, { port }), NOW), `port tag must be an integer from 1 to 65535, got ${quoted(port)}`);
  });
}

for (const weight of ['0', '1', '256']) {
  test(`weight tag ${weight} is accepted`, () => {
    assert.equal(toServer(memberWith({}, { weight }), NOW).weight, Number(weight));
  });
}

for (const weight of ['257', '-1', '', '1.5', 'ten', '100 ']) {
  test(`weight tag rejected: ${JSON.stringify(weight)}`, () => {
    rejects(() => toServer(memberWith({}, { weight }), NOW), `weight tag must be an integer from 0 to 256, got ${quoted(weight)}`);
  });
}

// Tags the project does not use are kept as they came and never reject a member.
for (const [what, key] of [['space', 'bad key'], ['empty', ''], ['newline', 'a\nb'], ['equals', 'a=b'], ['65 characters', 'k'.repeat(65)], ['colon', 'com.docker:x'], ['slash', 'app/tier']]) {
  test(`an odd tag key is kept and rejects nothing: ${what}`, () => {
    const server = toServer(memberWith({}, { [key!]: 'x' }), NOW);
    assert.equal(server.tags[key!], 'x');
    assert.equal(server.port, 3000);
  });
}

test('a __proto__ tag stays a plain own key and pollutes no prototype', () => {
  const backend = toServer(memberWith({}, {}), NOW);
  const tags = new Map([['role', 'backend'], ['__proto__', 'polluted'], ['constructor', 'x']]);
  const withProto = toServer({ ...memberWith(), tags }, NOW);
  assert.equal(Object.getPrototypeOf(withProto.tags), Object.prototype);
  assert.ok(Object.hasOwn(withProto.tags, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(withProto.tags, '__proto__')?.value, 'polluted');
  assert.equal(JSON.stringify(withProto.tags), '{"__proto__":"polluted","constructor":"x","role":"backend"}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(backend.tags, { role: 'backend' });
});

for (const [what, value] of [['newline', 'a\nserver evil 6.6.6.6:80'], ['tab', 'a\tb'], ['NUL', 'a\u0000b'], ['escape', '\u001b[31m'], ['DEL', 'a\u007f']]) {
  test(`an odd tag value is kept (JSON escapes it) and rejects nothing: ${what}`, () => {
    assert.equal(toServer(memberWith({}, { note: value! }), NOW).tags.note, value);
  });
}

test('tag values may hold spaces, commas, quotes and non-ASCII text', () => {
  const backend = toServer(memberWith({}, { note: 'a, "b" & <c> é' }), NOW);
  assert.equal(backend.tags.note, 'a, "b" & <c> é');
});

test('a hostile member is rejected on its first bad field, in a one-line reason', () => {
  rejects(
    () => toServer(memberWith({ name: '../../etc/passwd', address: 'evil.example' }, { port: '0' }), NOW),
    /^node name must match .*, got "..\/..\/etc\/passwd"$/,
  );
});

test('quoted shows a value as JSON and shortens a long one', () => {
  assert.equal(quoted('a\nb'), '"a\\nb"');
  assert.equal(quoted('x'.repeat(100)), `"${'x'.repeat(80)}..."`);
});
