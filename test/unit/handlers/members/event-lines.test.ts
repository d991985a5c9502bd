import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMemberLines, parseTags, tagsReadOneWay, unescapeField, type ParsedLine } from '../../../../handlers/members/event-lines.ts';

function member(line: ParsedLine | undefined) {
  assert.ok(line?.ok, `expected a parsed member, got ${JSON.stringify(line)}`);
  return line.member;
}

test('unescapes the tab and newline escapes Serf writes', () => {
  assert.equal(unescapeField('a\\tb\\nc'), 'a\tb\nc');
  assert.equal(unescapeField('back\\slash'), 'back\\slash');
});

test('parses one member per line with its tags', () => {
  const [line] = parseMemberLines('web1\t10.0.0.5\tbackend\trole=backend,port=3001\n');
  assert.ok(line?.ok);
  assert.equal(line.member.name, 'web1');
  assert.equal(line.member.address, '10.0.0.5');
  assert.equal(line.member.role, 'backend');
  assert.deepEqual([...line.member.tags], [['role', 'backend'], ['port', '3001']]);
});

test('a comma inside a tag value stays in that value', () => {
  assert.deepEqual([...parseTags('role=backend,note=a,b,port=1')], [['role', 'backend'], ['note', 'a,b'], ['port', '1']]);
});

test('an equals sign inside a tag value stays in that value', () => {
  assert.deepEqual([...parseTags('query=a=b,role=backend')], [['query', 'a=b'], ['role', 'backend']]);
});

test('a tag field that starts without a key drops the orphan piece', () => {
  assert.deepEqual([...parseTags('orphan,role=backend')], [['role', 'backend']]);
});

test('empty tag field gives no tags', () => {
  assert.equal(parseTags('').size, 0);
  assert.equal(member(parseMemberLines('web1\t10.0.0.5\tbackend\t\n')[0]).tags.size, 0);
});

test('escaped tab and newline inside every field are unescaped, name included', () => {
  const [line] = parseMemberLines('web\\n1\t10.0.0.5\tback\\tend\tnote=a\\tb\\nc\n');
  const m = member(line);
  assert.equal(m.name, 'web\n1');
  assert.equal(m.role, 'back\tend');
  assert.equal(m.tags.get('note'), 'a\tb\nc');
});

test('empty stdin gives no members', () => {
  assert.deepEqual(parseMemberLines(''), []);
  assert.deepEqual(parseMemberLines('\n\n'), []);
  assert.deepEqual(parseMemberLines('  \r\n\t\n'), []);
});

test('CRLF line endings are accepted and the CR is not part of the tags', () => {
  const lines = parseMemberLines('web1\t10.0.0.5\tbackend\trole=backend,port=3001\r\nweb2\t10.0.0.6\tbackend\trole=backend\r\n');
  assert.equal(lines.length, 2);
  assert.equal(member(lines[0]).tags.get('port'), '3001');
  assert.equal(member(lines[1]).tags.get('role'), 'backend');
});

test('a last line without a newline is still read', () => {
  const lines = parseMemberLines('web1\t10.0.0.5\tbackend\trole=backend\nweb2\t10.0.0.6\tbackend\trole=backend');
  assert.deepEqual(lines.map((l) => member(l).name), ['web1', 'web2']);
});

test('many members in one run keep their order and line numbers', () => {
  const input = Array.from({ length: 50 }, (_, i) => `web${i}\t10.0.0.${i}\tbackend\trole=backend`).join('\n');
  const lines = parseMemberLines(input);
  assert.equal(lines.length, 50);
  assert.deepEqual(lines.map((l) => l.line), Array.from({ length: 50 }, (_, i) => i + 1));
  assert.equal(member(lines[49]).name, 'web49');
});

test('fields past the fourth are ignored', () => {
  const m = member(parseMemberLines('web1\t10.0.0.5\tbackend\trole=backend\tsomething-new\tmore\n')[0]);
  assert.equal(m.name, 'web1');
  assert.deepEqual([...m.tags], [['role', 'backend']]);
});

test('a line without the tags field is read with no tags', () => {
  const m = member(parseMemberLines('web1\t10.0.0.5\tbackend\n')[0]);
  assert.equal(m.role, 'backend');
  assert.equal(m.tags.size, 0);
});

test('too few fields reject that line with its number and the rest still parse', () => {
  const lines = parseMemberLines('web1\t10.0.0.5\tbackend\trole=backend\nweb2 10.0.0.6 backend\nweb3\t10.0.0.7\n');
  assert.equal(lines.length, 3);
  assert.ok(lines[0]?.ok);
  assert.deepEqual(lines[1], { ok: false, line: 2, reason: 'expected name<TAB>address<TAB>role<TAB>tags, got 1 field(s)' });
  assert.deepEqual(lines[2], { ok: false, line: 3, reason: 'expected name<TAB>address<TAB>role<TAB>tags, got 2 field(s)' });
});

test('a raw newline smuggled into a name splits into a line that is rejected', () => {
  // Serf escapes newlines, so a raw one can only come from something else writing stdin.
  const lines = parseMemberLines('web1\n    server evil 6.6.6.6:80\t10.0.0.5\tbackend\trole=backend\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0], { ok: false, line: 1, reason: 'expected name<TAB>address<TAB>role<TAB>tags, got 1 field(s)' });
  // The second half parses, and validation (not parsing) must reject its name.
  assert.equal(member(lines[1]).name, '    server evil 6.6.6.6:80');
});

test('blank lines between members are skipped but keep line numbers honest', () => {
  const lines = parseMemberLines('\nweb1\t10.0.0.5\tbackend\trole=backend\n\nbad\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.line, 2);
  assert.equal(lines[1]?.line, 4);
});

const oneWay: [string, string, boolean][] = [
  ['role=backend,port=3000', 'backend', true],
  ['port=3000,role=backend', 'backend', true],
  ['role=backend', 'backend', true],
  ['', '', true],
  ['note=a,b', '', false],
  ['role=backend,port=4000,weight=3', 'backend', false],
  ['role=backend,note=x=1', 'backend', false],
  ['role=backend,role=backend', 'backend', false],
  ['role=backend,port=3000', 'lb', false],
  ['port=3000', 'backend', false],
  ['role=backend,orphan', 'backend', false],
];
for (const [field, role, expected] of oneWay) {
  test(`tags ${JSON.stringify(field)} with role field ${JSON.stringify(role)} ${expected ? 'read one way' : 'can be read two ways'}`, () => {
    assert.equal(tagsReadOneWay(field, role), expected);
    const [line] = parseMemberLines(`web1\t10.0.0.5\t${role}\t${field}\n`);
    assert.equal(member(line).tagsUncertain === true, !expected);
  });
}
