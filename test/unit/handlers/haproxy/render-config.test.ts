import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from '../../../../handlers/pool/server.ts';
import { renderConfig, templateContext, TemplateError } from '../../../../handlers/haproxy/render-config.ts';

const SERVERS = '{{#each servers}}server {{name}} {{hostport}} weight {{weight}}\n{{/each}}';

function backend(name: string, address = '10.0.0.5', extra: Partial<Server> = {}): Server {
  return { name, address, port: 3000, weight: 1, tags: { role: 'backend' }, updated: `${name}-time`, ...extra };
}

function templateError(rendering: () => unknown, pattern: RegExp) {
  assert.throws(rendering, (error: unknown) => {
    assert.ok(error instanceof TemplateError, `expected TemplateError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    assert.ok(error.cause instanceof Error, 'keeps the Handlebars error as cause');
    return true;
  });
}

test('renders one server line per backend', () => {
  assert.equal(
    renderConfig(SERVERS, [backend('web1'), backend('web2', '10.0.0.6', { port: 8080, weight: 0 })]),
    'server web1 10.0.0.5:3000 weight 1\nserver web2 10.0.0.6:8080 weight 0\n',
  );
});

test('the same set in any order renders the same bytes', () => {
  const set = [backend('web1'), backend('web10', '10.0.0.10'), backend('web2', '10.0.0.2'), backend('a', '::1')];
  const first = renderConfig(SERVERS, set);
  assert.equal(renderConfig(SERVERS, [...set].reverse()), first);
  assert.equal(renderConfig(SERVERS, [set[2]!, set[0]!, set[3]!, set[1]!]), first);
  assert.deepEqual(first.split('\n').filter(Boolean).map((l) => l.split(' ')[1]), ['a', 'web1', 'web10', 'web2']);
});

test('no HTML escaping of & < > " \' =', () => {
  const out = renderConfig(`{{#each servers}}acl a hdr(x) -m str "{{tags.note}}" & <{{../count}}> '{{name}}'{{/each}}`, [backend('web1', '10.0.0.5', { tags: { note: 'a=b' } })]);
  assert.equal(out, `acl a hdr(x) -m str "a=b" & <1> 'web1'`);
});

test('the template sees only tags that are a plain key and one plain token', () => {
  const tags = { tier: 'web', zone: 'eu-west/1', 'com.docker:x': 'y', 'app/tier': 'web', note: 'a b', evil: 'x\n    server evil 6.6.6.6:80', quote: '"q"', empty: '' };
  const [view] = templateContext([backend('web1', '10.0.0.5', { tags })]).servers;
  assert.deepEqual(view!.tags, { tier: 'web', zone: 'eu-west/1', empty: '' });
});

test('IPv6 addresses get brackets and IPv4 ones do not', () => {
  const { servers } = templateContext([backend('v6', '2001:db8::1', { port: 3001 }), backend('v4', '10.0.0.5'), backend('mapped', '::ffff:10.0.0.5')]);
  assert.deepEqual(servers.map((b) => [b.name, b.hostport]), [['mapped', '[::ffff:10.0.0.5]:3000'], ['v4', '10.0.0.5:3000'], ['v6', '[2001:db8::1]:3001']]);
});

test('an empty set renders the template with no servers', () => {
  assert.equal(renderConfig(`backend webapps\n${SERVERS}# {{count}} servers\n`, []), 'backend webapps\n# 0 servers\n');
});

test('the project template renders and keeps HAProxy syntax intact', async () => {
  const template = await readFile(join(process.cwd(), 'templates', 'haproxy.cfg.hbs'), 'utf8');
  const out = renderConfig(template, [backend('web1'), backend('web2', 'fd00::2', { weight: 10 })]);
  assert.match(out, /^    server web1 10\.0\.0\.5:3000 weight 1 cookie web1$/m);
  assert.match(out, /^    server web2 \[fd00::2\]:3000 weight 10 cookie web2$/m);
  assert.equal(out.match(/^\s*server /gm)?.length, 2);
  assert.ok(!out.includes('{{'), 'no Handlebars left in the output');
});

test('an unknown field is a one-line TemplateError, not an empty string in the config', () => {
  templateError(() => renderConfig('{{#each servers}}server {{nmae}} {{hostport}}\n{{/each}}', [backend('web1')]), /^template does not render: "nmae" not defined in/);
});

test('an unknown top-level field is an error even with no backends', () => {
  templateError(() => renderConfig('maxconn {{maxconn}}\n', []), /^template does not render: "maxconn" not defined/);
});

test('a broken template is a one-line TemplateError', () => {
  templateError(() => renderConfig('{{#each servers}}\nserver {{name}}\n', [backend('web1')]), /^template does not render: Parse error on line 3:/);
});

test('an unknown helper is a one-line TemplateError', () => {
  templateError(() => renderConfig('{{upper "x"}}', []), /^template does not render: /);
});

test('the updated time is not what makes two renders differ', () => {
  assert.equal(renderConfig(SERVERS, [backend('web1', '10.0.0.5', { updated: 'a' })]), renderConfig(SERVERS, [backend('web1', '10.0.0.5', { updated: 'b' })]));
});

test('a template is compiled once and rendered again; a changed template compiles anew', () => {
  assert.equal(renderConfig(SERVERS, [backend('web1')]), 'server web1 10.0.0.5:3000 weight 1\n');
  assert.equal(renderConfig(SERVERS, [backend('web2', '10.0.0.6')]), 'server web2 10.0.0.6:3000 weight 1\n');
  const changed = `# v2\n${SERVERS}`;
  assert.equal(renderConfig(changed, [backend('web1')]), '# v2\nserver web1 10.0.0.5:3000 weight 1\n');
  assert.equal(renderConfig(SERVERS, [backend('web1')]), 'server web1 10.0.0.5:3000 weight 1\n', 'the first template again, not the last one compiled');
});

test('a template that failed to render does not stand in for the next one', () => {
  templateError(() => renderConfig('{{nmae}}', []), /"nmae" not defined/);
  assert.equal(renderConfig('# {{count}}\n', []), '# 0\n');
});
