// The shipped artefacts: bundle/ must be what build.mjs makes from the
// sources, and each bundled entry must do its job as the ha image runs it:
// the engine (reconcile with an interval), member events' handlers that wake
// it as Serf starts them, one-shot passes by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { backend, bundleDir, eventLine, HA, sandbox } from './support/handler-sandbox.ts';

const root = process.cwd();

test('bundle/ holds exactly what build.mjs builds from the sources', async () => {
  const { options } = (await import(pathToFileURL(join(root, 'build.mjs')).href)) as { options: esbuild.BuildOptions };
  const result = await esbuild.build({ ...options, write: false, logLevel: 'silent' });
  const built = new Map(result.outputFiles!.map((file) => [relative(join(root, 'bundle'), file.path), file.text]));
  const committed = (await readdir(join(root, 'bundle'), { recursive: true })).map(String).filter((f) => /\.[cm]js$/.test(f));
  assert.deepEqual([...built.keys()].sort(), committed.sort(), 'one file per entry, no stale ones');
  for (const [name, text] of built) {
    assert.ok((await readFile(join(root, 'bundle', name), 'utf8')) === text, `bundle/${name} is stale: run \`node build.mjs\` and commit it`);
  }
});

test("the handlers ship CommonJS; a member event's entry carries no pipeline, no Handlebars, no source-map library", async () => {
  const files = await readdir(bundleDir);
  // An ES module entry would start Node's ESM loader on every run.
  assert.deepEqual(files.filter((f) => !f.endsWith('.cjs')), [], 'every file of bundle/handlers is CommonJS');
  for (const file of files) assert.doesNotMatch(await readFile(join(bundleDir, file), 'utf8'), /SourceMapGenerator/);
  const join_ = await readFile(join(bundleDir, 'member-join.cjs'), 'utf8');
  assert.ok(!join_.includes('function Compiler(') && !join_.includes('show servers state'), 'member-join only wakes the engine');
  assert.ok((await readFile(join(bundleDir, 'reconcile.cjs'), 'utf8')).includes('show servers state'));
});

test('the engine applies what the agent lists at start, and every member event wakes it: exit 0 once applied', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5', { port: '3001' })]);
  const engine = await s.engine();
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3001 weight 1']);
  const web2 = backend('web2', 'fd00::2', { weight: '7' });
  await s.setMembers([HA, backend('web1', '10.0.0.5', { port: '3001' }), { ...web2, addr: '[fd00::2]:7946' }]);
  const join_ = await s.handler('member-join', eventLine({ ...web2, addr: '[fd00::2]:7946' }));
  assert.equal(join_.code, 0, join_.stderr);
  assert.equal(join_.stderr, '', 'an applied event says nothing; the engine logs the pass');
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3001 weight 1', 'server web2 [fd00::2]:3000 weight 7']);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web2.json']);
  await s.setMembers([HA, { ...backend('web1', '10.0.0.5', { port: '3001' }), status: 'left' }, { ...web2, addr: '[fd00::2]:7946' }]);
  const leave = await s.handler('member-leave', eventLine(backend('web1', '10.0.0.5')));
  assert.equal(leave.code, 0, leave.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web2.json']);
  assert.match(engine.log(), /msg=done event=reconcile woken_by=member-leave applied=2 rejected=0 ignored=1 backends=1 store_changes=1 /);
  assert.equal((await s.reloads()).length, 3, 'one reload per change: no admin socket here');
});

test('a member the engine refuses makes its handler exit 1 with one line; a refused stranger does not fail the others', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web0', '10.0.0.4')]);
  await s.engine();
  const bad = backend('web1', '10.0.0.5', { port: '99999' });
  await s.setMembers([HA, backend('web0', '10.0.0.4'), bad, backend('web2', '10.0.0.6')]);
  const refused = await s.handler('member-join', eventLine(bad));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^level=warn component=member-join msg="not applied" members=web1 rejected=web1\n$/);
  const other = await s.handler('member-join', eventLine(backend('web2', '10.0.0.6')));
  assert.equal(other.code, 0, other.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web0.json', 'web2.json']);
});

test('ten handlers at once: their wake-ups share passes, and every member lands', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('seed', '10.0.0.9')]);
  const engine = await s.engine();
  const members = Array.from({ length: 10 }, (_, i) => backend(`web${i}`, `10.0.0.${i + 10}`));
  await s.setMembers([HA, backend('seed', '10.0.0.9'), ...members]);
  const runs = await Promise.all(members.map((m) => s.handler('member-join', eventLine(m))));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal((await s.servers()).length, 11);
  const passes = engine.log().match(/ msg=done /g)!.length - 1;
  assert.ok(passes >= 1 && passes <= 10, `${passes} passes for ten wake-ups`);
  assert.deepEqual((await readdir(s.nodes)).filter((f) => f.startsWith('.')), [], 'no lock or temp file left');
});

test('a handler killed once it asked: the engine runs the pass all the same, and takes the next one', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('seed', '10.0.0.9')]);
  const engine = await s.engine();
  await s.setMembers([HA, backend('seed', '10.0.0.9'), backend('web1', '10.0.0.5')]);
  const killed = await s.handler('member-join', eventLine(backend('web1', '10.0.0.5')), { killAfterMs: 400 });
  assert.ok(killed.code === 0 || killed.signal === 'SIGKILL');
  await engine.passes(2);
  assert.deepEqual(await s.nodeFiles(), ['seed.json', 'web1.json']);
  await s.setMembers([HA, backend('seed', '10.0.0.9'), backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6')]);
  assert.equal((await s.handler('member-join', eventLine(backend('web2', '10.0.0.6')))).code, 0);
  assert.deepEqual(await s.nodeFiles(), ['seed.json', 'web1.json', 'web2.json']);
});

test('with no engine, a handler waits a bounded time, then exits 1 saying the next pass applies its event', { timeout: 60_000 }, async (t) => {
  const s = await sandbox(t);
  const run = await s.handler('member-join', eventLine(backend('web1', '10.0.0.5')));
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^level=error component=member-join msg="engine not reached; its next pass applies this event" reason=.*ENOENT/);
  assert.deepEqual(await s.nodeFiles(), []);
});

test('a fresh engine whose agent has joined no one listens only after a bounded wait, and says why', { timeout: 30_000 }, async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA]);
  const engine = await s.engine();
  const { access } = await import('node:fs/promises');
  await assert.rejects(access(s.engineSocket), 'no socket while the agent lists only itself');
  await engine.logged(/msg="serving without a pool" reason="the agent lists no other member after 10 s"/);
  await engine.listening();
});

test('only root reaches the engine: its folder is 0700, its socket 0600', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  await (await s.engine()).listening();
  const { stat } = await import('node:fs/promises');
  assert.equal((await stat(join(s.engineSocket, '..'))).mode & 0o777, 0o700);
  assert.equal((await stat(s.engineSocket)).mode & 0o777, 0o600);
});

test('a one-shot reconcile by hand: the nodes dir becomes the alive backends; a second changes nothing', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5', { port: '3001' }), { ...backend('web2', 'fd00::2'), addr: '[fd00::2]:7946' }, backend('web3', '10.0.0.7', {}, 'failed'), backend('web4', '10.0.0.8', {}, 'left')]);
  const run = await s.handler('reconcile');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web2.json']);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3001 weight 1', 'server web2 [fd00::2]:3000 weight 1']);
  assert.equal((await s.handler('reconcile')).code, 0);
  assert.equal((await s.reloads()).length, 1, 'a pass that changes nothing does not reload');
});

test('a failing members command exits 1 and keeps the nodes dir', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  await s.handler('reconcile');
  const run = await s.handler('reconcile', '', { flags: { 'members-cmd': 'cat missing.json' } });
  assert.equal(run.code, 1);
  assert.deepEqual(await s.nodeFiles(), ['web1.json']);
  assert.match(run.stderr, /level=error component=reconcile msg="'cat missing.json' failed \(exit 1\): .*No such file/);
});

test('--dry-run prints the config it would write and changes nothing, on a fresh machine not even the nodes dir', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const run = await s.handler('reconcile', '', { flags: { 'dry-run': true } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'backend webapps\n    server web1 10.0.0.5:3000 weight 1\n');
  assert.deepEqual(await s.nodeFiles(), []);
  assert.deepEqual((await readdir(s.dir)).sort(), ['haproxy.cfg.hbs', 'kill-point.mjs', 'members.json']);
});

test('a failed check keeps the last good config, does not reload and exits 1; the next good pass heals', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  await s.handler('reconcile');
  const good = await readFile(s.config, 'utf8');
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('BROKEN', '10.0.0.6')]);
  const run = await s.handler('reconcile');
  assert.equal(run.code, 1);
  assert.equal(await readFile(s.config, 'utf8'), good);
  assert.equal((await s.reloads()).length, 1);
  assert.match(run.stderr, /level=error component=reconcile msg="candidate config rejected by '! grep -q BROKEN' \(exit 1\): \(no output\); last good config kept" event=reconcile duration_ms=\d+\n$/);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  assert.equal((await s.handler('reconcile')).code, 0);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
});

test('a failed reload is retried by the next pass even when the config is unchanged', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const failing = await s.handler('reconcile', '', { flags: { 'reload-cmd': 'false' } });
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /msg="reload command 'false' failed \(exit 1\): \(no output\); will retry on the next run"/);
  const retry = await s.handler('reconcile');
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stderr, / config=unchanged runtime=off reload=yes /);
  assert.equal((await s.reloads()).length, 1);
});

function runNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test("from the images' startup snapshot (bundle/node-snapshot.cjs), an entry runs as `node <entry>` does: same argv, same result", async (t) => {
  const s = await sandbox(t);
  const blob = join(s.dir, 'node.blob');
  const build = await runNode(['--snapshot-blob', blob, '--build-snapshot', join(root, 'bundle', 'node-snapshot.cjs')], s.dir, { PATH: process.env.PATH });
  assert.equal(build.code, 0, build.stderr);
  await s.setMembers([HA, backend('web1', '10.0.0.5'), backend('web2', '10.0.0.6')]);
  const args = ['--nodes-dir', s.nodes, '--template', s.template, '--config', s.config, '--check-cmd', 'true', '--reload-cmd', 'true', '--members-cmd', `cat ${s.members}`];
  const fromBlob = await runNode(['--snapshot-blob', blob, join(bundleDir, 'reconcile.cjs'), ...args], s.dir, { PATH: process.env.PATH });
  assert.equal(fromBlob.code, 0, fromBlob.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web2 10.0.0.6:3000 weight 1']);
  const missing = await runNode(['--snapshot-blob', blob], s.dir, { PATH: process.env.PATH });
  assert.deepEqual([missing.code, missing.stderr], [2, 'usage: node --snapshot-blob node.blob <script> [args]: the script to run is missing\n']);
});

test('--help prints usage and exits 2; a bad option prints usage on stderr and exits 2, touching nothing', async (t) => {
  const s = await sandbox(t);
  const help = await runNode([join(bundleDir, 'member-join.cjs'), '--help'], s.dir, { PATH: process.env.PATH });
  assert.equal(help.code, 2);
  assert.match(help.stdout, /^usage: member-join \[options\]\n/);
  const bad = await runNode([join(bundleDir, 'reconcile.cjs'), '--bogus'], s.dir, { PATH: process.env.PATH });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^reconcile: unknown option --bogus\nusage: reconcile /);
  assert.deepEqual(await s.nodeFiles(), []);
});

test('settings fall back to the environment, as in the image', async (t) => {
  const s = await sandbox(t);
  await s.setMembers([HA, backend('web1', '10.0.0.5')]);
  const run = await runNode([join(bundleDir, 'reconcile.cjs')], s.dir, {
    PATH: process.env.PATH,
    NODES_DIR: s.nodes,
    HAPROXY_TEMPLATE: s.template,
    HAPROXY_CONFIG: s.config,
    HAPROXY_CHECK_CMD: 'true',
    HAPROXY_RELOAD_CMD: 'true',
    SERF_MEMBERS_CMD: `cat ${s.members}`,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
});
