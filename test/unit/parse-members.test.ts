import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMemberLines, parseTags, unescapeField } from '../../handlers/lib/parse-members.ts';

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
