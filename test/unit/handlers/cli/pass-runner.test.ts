import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandResult } from '../../../../handlers/os/run-command.ts';
import { runOnce } from '../../../../handlers/cli/one-shot.ts';
import { parseSettings } from '../../../../handlers/cli/settings.ts';
import type { Pass } from '../../../../handlers/pipeline/pipeline.ts';
import { captureStream, fakeRun, tempDir } from '../../../fakes.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { startFakeSerfRpc } from '../../../../harness/serf/fake-serf-rpc.ts';

const TEMPLATE = 'backend webapps\n{{#each servers}}    server {{name}} {{hostport}} weight {{weight}}\n{{/each}}';

type JsonMember = { name: string; addr: string; tags: Record<string, string>; status: string };
const backend = (name: string, addr: string, tags: Record<string, string> = {}, status = 'alive'): JsonMember => ({ name, addr, tags: { role: 'backend', ...tags }, status });
const HA = { name: 'ha', addr: '10.0.0.2:7946', tags: { role: 'lb' }, status: 'alive' };
const WEB1 = backend('web1', '10.0.0.5:7946', { port: '3001' });
const WEB2 = backend('web2', '[fd00::2]:7946', { weight: '7' });

interface Setup {
  dir: string;
  nodes: string;
  config: string;
  /** What the members command prints next. */
  members: (list: JsonMember[]) => void;
  run: (pass?: Pass, extraArgs?: string[], env?: NodeJS.ProcessEnv) => Promise<{ code: number; stdout: string; stderr: string; commands: string[] }>;
  answers: Record<string, Partial<CommandResult>>;
  runtime: FakeRuntime | undefined;
}

/** A temp dir with a template, and a runner that runs one pass with fake check, reload and members commands. */
async function setup(t: TestContext, runtime?: FakeRuntime): Promise<Setup> {
  const dir = await tempDir(t);
  const nodes = join(dir, 'nodes');
  const config = join(dir, 'haproxy.cfg');
  await writeFile(join(dir, 'haproxy.cfg.hbs'), TEMPLATE);
  const answers: Setup['answers'] = {};
  const run: Setup['run'] = async (pass = 'reconcile', extraArgs = [], env = {}) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const commands = fakeRun((commandLine) => answers[commandLine] ?? {});
    const argv = ['--nodes-dir', nodes, '--template', join(dir, 'haproxy.cfg.hbs'), '--config', config, '--check-cmd', 'check', '--reload-cmd', 'reload', '--members-cmd', 'members', '--state-file', join(dir, 'server-state'), '--drain-ms', '50', ...extraArgs];
    const settings = parseSettings(argv, env);
    const code = await runOnce(pass, settings, { env, stdout, stderr, run: commands, now: () => new Date('2026-01-01T00:00:00.000Z'), ...(runtime && { admin: runtime.command }) });
    return { code, stdout: stdout.text, stderr: stderr.text, commands: commands.calls.map((c) => c.commandLine) };
  };
  const members = (list: JsonMember[]) => (answers.members = { stdout: JSON.stringify({ members: [HA, ...list] }) });
  members([]);
  return { dir, nodes, config, members, run, answers, runtime };
}

function doneLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.includes('msg=done'));
  assert.ok(line, `no done line in:\n${stderr}`);
  return line;
}

test('a join writes the nodes, installs the config, reloads and logs one done line', async (t) => {
  const s = await setup(t);
  s.members([WEB1, WEB2]);
  const result = await s.run();
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web2.json']);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n    server web2 [fd00::2]:3000 weight 7\n');
  assert.equal(
    doneLine(result.stderr).replace(/duration_ms=\d+/, 'duration_ms=N'),
    'level=info component=reconcile msg=done event=reconcile applied=2 rejected=0 ignored=1 backends=2 store_changes=2 config=installed runtime=off reload=yes duration_ms=N',
  );
  assert.equal(result.stderr.trimEnd().split('\n').length, 1, 'nothing but the done line: ha\'s own agent is only counted');
});

test('the same members again change nothing and do not reload', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  const again = await s.run();
  assert.equal(again.code, 0);
  assert.deepEqual(again.commands, ['members']);
  assert.match(doneLine(again.stderr), / store_changes=0 config=unchanged runtime=off reload=no /);
});

test('a failed reload exits 1 and is retried by the next pass even though the config is unchanged', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  s.answers.reload = { code: 1, output: 'supervisor not listening' };
  const failed = await s.run();
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^level=error component=reconcile msg="reload command 'reload' failed \(exit 1\): supervisor not listening; will retry on the next run" event=reconcile duration_ms=\d+$/m);
  s.answers.reload = {};
  const next = await s.run();
  assert.equal(next.code, 0);
  assert.deepEqual(next.commands, ['members', 'reload']);
  assert.match(doneLine(next.stderr), / config=unchanged runtime=off reload=yes /);
  assert.deepEqual((await s.run()).commands, ['members']);
});

test('a failed check keeps the last good config, logs the reason and exits 1 without reloading', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  const good = await readFile(s.config, 'utf8');
  s.answers.check = { code: 1, output: "[ALERT] unknown keyword 'x'" };
  s.members([WEB1, WEB2]);
  const result = await s.run();
  assert.equal(result.code, 1);
  assert.deepEqual(result.commands, ['members', 'check']);
  assert.equal(await readFile(s.config, 'utf8'), good);
  assert.match(result.stderr, /level=error .*msg="candidate config rejected by 'check' \(exit 1\): \[ALERT\] unknown keyword 'x'; last good config kept"/);
  assert.deepEqual(await readdir(s.dir), ['haproxy.cfg', 'haproxy.cfg.hbs', 'nodes', 'routes.map']);
});

test('hostile members: the good ones applied, the bad ones rejected one line each, exit 1', async (t) => {
  const s = await setup(t);
  s.members([
    backend('web1', '10.0.0.5:7946'),
    backend('../../etc/passwd', '10.0.0.6:7946'),
    backend('evil\n    server evil 6.6.6.6:80', '10.0.0.7:7946'),
    backend('web3', '10.0.0.08:7946'),
    backend('web4', '10.0.0.9:7946', { port: '80abc' }),
    backend('web5', '10.0.0.10:7946'),
  ]);
  const result = await s.run();
  assert.equal(result.code, 1);
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web5.json']);
  const config = await readFile(s.config, 'utf8');
  assert.equal(config.match(/server /g)?.length, 2);
  assert.ok(!config.includes('evil'));
  assert.equal(result.stderr.match(/msg="member rejected"/g)?.length, 4);
  assert.match(doneLine(result.stderr), / applied=2 rejected=4 ignored=1 backends=2 /);
  for (const line of result.stderr.trimEnd().split('\n')) assert.match(line, /^level=\w+ component=reconcile msg=/);
});

test('left and failed members are removed, file and server line', async (t) => {
  const s = await setup(t);
  s.members([WEB1, WEB2, backend('web3', '10.0.0.7:7946')]);
  await s.run();
  s.members([{ ...WEB1, status: 'left' }, WEB2, { ...backend('web3', '10.0.0.7:7946'), status: 'failed' }]);
  const result = await s.run();
  assert.equal(result.code, 0);
  assert.deepEqual(await readdir(s.nodes), ['web2.json']);
  assert.ok(!(await readFile(s.config, 'utf8')).includes('web1'));
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
});

test('a member back with a new address and port moves there', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  s.members([backend('web1', '10.0.0.9:7946', { port: '4000' })]);
  assert.equal((await s.run()).code, 0);
  assert.match(await readFile(s.config, 'utf8'), /server web1 10\.0\.0\.9:4000 weight 1\n/);
});

test('a failing members command fails the pass and changes nothing', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  s.answers.members = { code: 1, output: 'Error connecting to Serf agent' };
  const result = await s.run();
  assert.equal(result.code, 1);
  assert.deepEqual(await readdir(s.nodes), ['web1.json']);
});

test("with --members-rpc, the members come over the agent's RPC with SERF_RPC_AUTH, not by the members command", async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  const agent = await startFakeSerfRpc('rpc-token-1', [
    { Name: 'ha', Addr: Buffer.from([10, 0, 0, 2]), Port: 7946, Tags: { role: 'lb' }, Status: 'alive' },
    { Name: 'web3', Addr: Buffer.from([10, 0, 0, 7]), Port: 7946, Tags: { role: 'backend' }, Status: 'alive' },
    { Name: 'web1', Addr: Buffer.from([10, 0, 0, 5]), Port: 7946, Tags: { role: 'backend' }, Status: 'left' },
  ]);
  t.after(() => agent.close());
  const result = await s.run('reconcile', ['--members-rpc', agent.address], { SERF_RPC_AUTH: 'rpc-token-1' });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.commands, ['check', 'reload']);
  assert.deepEqual(agent.commands, ['handshake', 'auth', 'members']);
  assert.deepEqual(await readdir(s.nodes), ['web3.json']);
  const refused = await s.run('reconcile', ['--members-rpc', agent.address], { SERF_RPC_AUTH: 'wrong-token' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`msg="serf RPC ${agent.address}: auth: Invalid authentication token"`));
  assert.deepEqual(await readdir(s.nodes), ['web3.json']);
});

test('a dry run prints the config and changes nothing, not even the nodes directory', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  const result = await s.run('reconcile', ['--dry-run']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n');
  assert.deepEqual(result.commands, ['members']);
  assert.deepEqual(await readdir(s.dir), ['haproxy.cfg.hbs']);
  assert.match(doneLine(result.stderr), / config=dry-run runtime=off reload=no /);
});

test('a dry run over an existing store shows the change and leaves the files', async (t) => {
  const s = await setup(t);
  s.members([WEB1, WEB2]);
  await s.run();
  const before = await readFile(s.config, 'utf8');
  s.members([WEB2]);
  const result = await s.run('reconcile', [], { DRY_RUN: '1' });
  assert.equal(result.stdout, 'backend webapps\n    server web2 [fd00::2]:3000 weight 7\n');
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web2.json']);
  assert.equal(await readFile(s.config, 'utf8'), before);
});

test('a broken template keeps the membership record and exits 1 with a TemplateError line', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'haproxy.cfg.hbs'), '{{#each servers}}server {{nmae}}\n{{/each}}');
  s.members([WEB1]);
  const result = await s.run();
  assert.equal(result.code, 1);
  assert.deepEqual(await readdir(s.nodes), ['web1.json']);
  assert.match(result.stderr, /level=error .*msg="template does not render: \\"nmae\\" not defined/);
});

test('bad files in the nodes directory are moved aside with a log line, not fatal', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  await writeFile(join(s.nodes, 'junk.json'), '{');
  s.members([WEB1, WEB2]);
  const result = await s.run();
  assert.equal(result.code, 0);
  assert.match(result.stderr, /msg="nodes file moved aside" file=junk.json reason=/);
  assert.equal((await readFile(s.config, 'utf8')).match(/server /g)?.length, 2);
});

test('render installs the store as it is, checked, and asks no one', async (t) => {
  const s = await setup(t);
  s.members([WEB1]);
  await s.run();
  s.members([]);
  const result = await s.run('render');
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, []);
  assert.match(doneLine(result.stderr), / event=render .* backends=1 store_changes=0 config=unchanged runtime=off reload=no /);
});

test('with a running HAProxy, a join adds the servers at run time: no check, no reload, and the file follows', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1, WEB2]);
  const result = await s.run();
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.commands, ['members']);
  assert.deepEqual(s.runtime!.names(), ['web1', 'web2']);
  assert.match(doneLine(result.stderr), / config=installed runtime=applied runtime_added=2 runtime_removed=0 reload=no /);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n    server web2 [fd00::2]:3000 weight 7\n');
});

test('with a running HAProxy, a leaver drains and a failed member goes to maintenance, both deleted', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1, WEB2]);
  await s.run();
  s.members([{ ...WEB1, status: 'left' }, WEB2]);
  const left = await s.run();
  assert.match(doneLine(left.stderr), / runtime=applied runtime_added=0 runtime_removed=1 reload=no /);
  assert.ok(s.runtime!.commands.includes('set server webapps/web1 state drain'));
  s.members([{ ...WEB2, status: 'failed' }]);
  await s.run();
  assert.ok(s.runtime!.commands.includes('set server webapps/web2 state maint'));
  assert.ok(!s.runtime!.commands.includes('set server webapps/web2 state drain'));
  assert.deepEqual(s.runtime!.names(), []);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n');
});

test("a template change outside the server lines is checked and reloaded, after saving the servers' state", async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1]);
  await s.run();
  await writeFile(join(s.dir, 'haproxy.cfg.hbs'), `# tuned\n${TEMPLATE}`);
  const result = await s.run();
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
  assert.match(doneLine(result.stderr), / config=installed runtime=fallback reload=yes /);
  assert.match(result.stderr, /msg="runtime API not used, reloading instead" reason="the config changed outside its server lines"/);
  assert.match(await readFile(join(s.dir, 'server-state'), 'utf8'), /^1\n# be_id .*\n3 webapps 1 web1 10\.0\.0\.5 /);
});

test('a runtime command HAProxy refuses falls back to the checked reload, and says why', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.runtime!.refusals.set('add server', 'Invalid address.');
  s.members([WEB1]);
  const result = await s.run();
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
  assert.match(result.stderr, /reason="runtime API refused: 'add server webapps\/web1 10\.0\.0\.5:3001 weight 1; enable server webapps\/web1': Invalid address\."/);
});

test('a pass repairs a running HAProxy that drifted from the file, both ways, and says so', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1]);
  await s.run();
  // Someone deletes web1 and adds a stranger through the admin socket.
  await s.runtime!.command('set server webapps/web1 state maint');
  await s.runtime!.command('del server webapps/web1');
  await s.runtime!.command('add server webapps/stranger 10.9.9.9:80');
  const repaired = await s.run();
  assert.deepEqual(s.runtime!.names(), ['web1']);
  assert.match(repaired.stderr, /msg="runtime drift repaired" added=1 removed=1 reweighted=0 readied=0/);
  assert.match(doneLine(repaired.stderr), / store_changes=0 config=unchanged runtime=applied runtime_added=1 runtime_removed=1 reload=no /);
});

test('a server left draining by a pass that died is made ready again once its member is back (F1)', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1]);
  await s.run();
  // What a leave killed in its drain leaves behind, or an admin-socket answer too slow.
  await s.runtime!.command('set server webapps/web1 state drain');
  const result = await s.run();
  assert.equal(result.code, 0);
  assert.equal(s.runtime!.servers.get('webapps/web1')!.admin, 'ready');
  assert.match(result.stderr, /msg="runtime drift repaired" added=0 removed=0 reweighted=0 readied=1/);
});

test('with RELOAD_STRATEGY=restart, the runtime API is left alone: every change reloads', async (t) => {
  const s = await setup(t, new FakeRuntime());
  await s.run('render');
  s.members([WEB1]);
  const result = await s.run('reconcile', [], { RELOAD_STRATEGY: 'restart' });
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
  assert.deepEqual(s.runtime!.names(), []);
  assert.match(doneLine(result.stderr), / runtime=off reload=yes /);
});
