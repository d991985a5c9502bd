// Whole passes with the real template and several services: the conflict
// said once, an emptied service kept until a reload would happen anyway.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOnce } from '../../../../handlers/cli/one-shot.ts';
import { parseSettings } from '../../../../handlers/cli/settings.ts';
import { captureStream, fakeRun, tempDir } from '../../../fakes.ts';

type JsonMember = { name: string; addr: string; tags: Record<string, string>; status: string };
const member = (name: string, addr: string, tags: Record<string, string>): JsonMember => ({ name, addr, tags: { role: 'backend', ...tags }, status: 'alive' });
const HA = { name: 'ha', addr: '10.0.0.2:7946', tags: { role: 'lb' }, status: 'alive' };

async function setup(t: TestContext) {
  const dir = await tempDir(t);
  await copyFile(join(process.cwd(), 'templates', 'haproxy.cfg.hbs'), join(dir, 'haproxy.cfg.hbs'));
  let list: JsonMember[] = [];
  const pass = async () => {
    const stderr = captureStream();
    const run = fakeRun((commandLine) => (commandLine === 'members' ? { stdout: JSON.stringify({ members: [HA, ...list] }) } : {}));
    const argv = ['--nodes-dir', join(dir, 'nodes'), '--template', join(dir, 'haproxy.cfg.hbs'), '--config', join(dir, 'haproxy.cfg'), '--check-cmd', 'check', '--reload-cmd', 'reload', '--members-cmd', 'members', '--state-file', join(dir, 'state')];
    const code = await runOnce('reconcile', parseSettings(argv, {}), { env: {}, stdout: captureStream(), stderr, run, now: () => new Date(0) });
    const config = await readFile(join(dir, 'haproxy.cfg'), 'utf8');
    return { code, stderr: stderr.text, backends: config.split('\n').filter((l) => l.startsWith('backend ')).map((l) => l.slice(8)), routes: await readFile(join(dir, 'routes.map'), 'utf8'), reloads: run.calls.filter((c) => c.commandLine === 'reload').length };
  };
  return { pass, members: (next: JsonMember[]) => (list = next) };
}

test('a claim two services make is decided the same way every pass and logged once', async (t) => {
  const s = await setup(t);
  s.members([member('p1', '10.0.0.5:7946', { service: 'pconflict', hosts: 'p.test' }), member('q1', '10.0.0.6:7946', { service: 'qconflict', hosts: 'p.test' })]);
  const first = await s.pass();
  assert.equal(first.code, 0);
  assert.deepEqual(first.backends, ['pconflict', 'qconflict', 'webapps']);
  assert.match(first.routes, /\np.test\/ pconflict\n$/);
  assert.match(first.stderr, /msg="route conflict" reason="route p.test\/ claimed by pconflict, qconflict: pconflict keeps it \(lowest name\)"/);
  const again = await s.pass();
  assert.match(again.routes, /\np.test\/ pconflict\n$/);
  assert.doesNotMatch(again.stderr, /route conflict/);
});

test('a service whose last member left keeps its backend and routes; the next reload drops them', async (t) => {
  const s = await setup(t);
  const alpha = member('a1', '10.0.0.5:7946', { service: 'alpha', hosts: 'a.test' });
  s.members([alpha, member('d1', '10.0.0.6:7946', { service: 'docs', path: '/docs' })]);
  await s.pass();
  s.members([alpha]);
  const left = await s.pass();
  assert.deepEqual(left.backends, ['alpha', 'docs', 'webapps']);
  assert.match(left.routes, /\n\/docs docs\na.test\/ alpha\n$/);
  s.members([alpha, member('g1', '10.0.0.7:7946', { service: 'gamma', hosts: 'g.test' })]);
  const grown = await s.pass();
  assert.deepEqual(grown.backends, ['alpha', 'gamma', 'webapps']);
  assert.match(grown.routes, /\na.test\/ alpha\ng.test\/ gamma\n$/);
});

test('a member with a hostile route tag is refused and its service changes nothing', async (t) => {
  const s = await setup(t);
  s.members([member('a1', '10.0.0.5:7946', { service: 'alpha', hosts: 'a.test' })]);
  const good = await s.pass();
  s.members([member('a1', '10.0.0.5:7946', { service: 'alpha', hosts: 'a.test,evil#.test' })]);
  const bad = await s.pass();
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /msg="member rejected" reason="member \\"a1\\": hosts tag must be comma-separated host names .*got \\"evil#.test\\""/);
  assert.equal(bad.routes, good.routes);
  assert.deepEqual(bad.backends, good.backends);
  assert.equal(bad.reloads, 0);
});
