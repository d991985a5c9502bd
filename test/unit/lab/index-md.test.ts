import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexMarkdown, linkTargets } from '../../../lab/index-md.ts';

test('groups steps under their task in the lab order, each file linked with its line, serf members as text', () => {
  const md = indexMarkdown(['intro line'], [
    { task: 't6', title: 'ha started alone', files: [{ name: 't6-1-ha-alone-haproxy.cfg', description: 'haproxy.cfg with ha alone' }], members: 'ha  10.0.0.2:7946  alive  role=lb\n' },
    { task: 't1', title: 'ha, s1 and s2 running', files: [{ name: 't1-stats.png', description: 'the stats page' }], members: undefined },
  ]);
  const headings = md.split('\n').filter((l) => l.startsWith('#'));
  assert.deepEqual(headings, [
    '# AIT lab 04, replayed',
    '## Tasks 0 and 1: HAProxy and two backends, every process under a supervisor',
    '### ha, s1 and s2 running',
    '## Task 6: HAProxy reloads on its own, seven backends start, three stop',
    '### ha started alone',
  ]);
  assert.ok(md.includes('- [t1-stats.png](t1-stats.png): the stats page\n'));
  assert.ok(md.includes('```text\nha  10.0.0.2:7946  alive  role=lb\n```\n'));
  assert.ok(md.endsWith('```\n'));
  assert.deepEqual(linkTargets(md), ['t1-stats.png', 't6-1-ha-alone-haproxy.cfg']);
});
