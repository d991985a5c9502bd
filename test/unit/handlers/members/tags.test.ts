import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTags, serviceTags } from '../../../../handlers/members/tags.ts';
import { InvalidMember } from '../../../../handlers/members/validate-member.ts';

const tags = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('no service tag: the webapps service, no route, a TCP check', () => {
  assert.deepEqual(serviceTags(tags({ role: 'backend', port: '3000' })), { service: 'webapps', hosts: [], path: undefined, health: undefined });
});

test('hosts are split on commas, lower-cased, deduplicated and sorted; wildcards and a path are kept', () => {
  assert.deepEqual(serviceTags(tags({ service: 'shop', hosts: 'WWW.Shop.test, *.shop.test,www.shop.test', path: '/api', health: '/up' })), {
    service: 'shop',
    hosts: ['*.shop.test', 'www.shop.test'],
    path: '/api',
    health: '/up',
  });
});

const refusals: [Record<string, string>, RegExp][] = [
  [{ service: 'stats' }, /^service tag must match .* and not be http, stats, none, got "stats"$/],
  [{ service: 'Shop' }, /^service tag must match/],
  [{ service: 'a#b' }, /^service tag must match .*got "a#b"$/],
  [{ service: 'a b' }, /^service tag must match/],
  [{ service: 'x'.repeat(33) }, /^service tag must match/],
  [{ hosts: 'bad host.test' }, /^hosts tag must be comma-separated host names .*got "bad host.test"$/],
  [{ hosts: 'ex#ample.test' }, /^hosts tag must be/],
  [{ hosts: 'ünï.test' }, /^hosts tag must be .*got "ünï.test"$/],
  [{ hosts: `${'a'.repeat(64)}.test` }, /^hosts tag must be/],
  [{ hosts: 'a.*.test' }, /^hosts tag must be/],
  [{ hosts: 'a.test\nb.test' }, /^hosts tag must be .*got "a.test\\nb.test"$/],
  [{ hosts: Array.from({ length: 17 }, (_, i) => `h${i}.test`).join(',') }, /^hosts tag holds at most 16 names, got 17$/],
  [{ path: 'api' }, /^path tag must be a path such as \/api .*got "api"$/],
  [{ path: '/a b' }, /^path tag must be/],
  [{ path: '/x;del map' }, /^path tag must be/],
  [{ path: '/#' }, /^path tag must be/],
  [{ path: `/${'p'.repeat(128)}` }, /^path tag must be/],
  [{ health: '/health?x=1' }, /^health tag must be a path/],
];

for (const [bad, message] of refusals) {
  test(`refused in one line: ${JSON.stringify(bad).slice(0, 60)}`, () => {
    assert.throws(() => readTags(tags({ port: '3000', ...bad })), (error: unknown) => {
      assert.ok(error instanceof InvalidMember);
      assert.match(error.message, message);
      assert.ok(!error.message.includes('\n'), 'one line');
      return true;
    });
  });
}
