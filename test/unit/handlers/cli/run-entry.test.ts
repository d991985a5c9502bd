import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandResult } from '../../../../handlers/os/run-command.ts';
import { runEntry, type Io } from '../../../../handlers/cli/run-entry.ts';
import type { EventName as EntryName } from '../../../../handlers/pipeline/events.ts';
import { captureStream, fakeRun, tempDir } from '../../../fakes.ts';
import { FakeRuntime } from '../../../../harness/haproxy/fake-runtime.ts';
import { startFakeSerfRpc } from '../../../../harness/serf/fake-serf-rpc.ts';

const TEMPLATE = 'backend webapps\n{{#each servers}}    server {{name}} {{hostport}} weight {{weight}}\n{{/each}}';

interface Setup {
  dir: string;
  nodes: string;
  config: string;
  run: (commandLine: string, stdin?: string, extraArgs?: string[], env?: NodeJS.ProcessEnv) => Promise<{ code: number; stdout: string; stderr: string; commands: string[] }>;
  /** Answers for the fake commands; change them between runs. */
  answers: Record<string, Partial<CommandResult>>;
  /** HAProxy's runtime API, when the test gives one. */
  runtime: FakeRuntime | undefined;
}

/** A temp dir with a template, and a runner that calls runEntry with fake check, reload and members commands. */
async function setup(t: TestContext, entryDefault: EntryName = 'member-join', runtime?: FakeRuntime): Promise<Setup> {
  const dir = await tempDir(t);
  const nodes = join(dir, 'nodes');
  const config = join(dir, 'haproxy.cfg');
  await writeFile(join(dir, 'haproxy.cfg.hbs'), TEMPLATE);
  const answers: Setup['answers'] = {};
  const run: Setup['run'] = async (entry = entryDefault, stdin = '', extraArgs = [], env = {}) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const commands = fakeRun((commandLine) => answers[commandLine] ?? {});
    const io: Io = {
      argv: ['--nodes-dir', nodes, '--template', join(dir, 'haproxy.cfg.hbs'), '--config', config, '--check-cmd', 'check', '--reload-cmd', 'reload', '--members-cmd', 'members', '--state-file', join(dir, 'server-state'), '--drain-ms', '50', ...extraArgs],
      env: { SERF_EVENT: entry, ...env },
      readStdin: async () => stdin,
      stdout,
      stderr,
      run: commands,
      now: () => new Date('2026-01-01T00:00:00.000Z'),
      ...(runtime && { admin: runtime.command }),
    };
    const code = await runEntry(entry as EntryName, io);
    return { code, stdout: stdout.text, stderr: stderr.text, commands: commands.calls.map((c) => c.commandLine) };
  };
  return { dir, nodes, config, run, answers, runtime };
}

const WEB1 = 'web1\t10.0.0.5\tbackend\trole=backend,port=3001\n';
const WEB2 = 'web2\tfd00::2\tbackend\trole=backend,weight=7\n';

function doneLine(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.includes('msg=done'));
  assert.ok(line, `no done line in:\n${stderr}`);
  return line;
}

test('join writes the nodes, installs the config, reloads and logs one done line', async (t) => {
  const s = await setup(t);
  const result = await s.run('member-join', WEB1 + WEB2);
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, ['check', 'reload']);
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web2.json']);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n    server web2 [fd00::2]:3000 weight 7\n');
  assert.equal(
    doneLine(result.stderr).replace(/duration_ms=\d+/, 'duration_ms=N'),
    'level=info component=member-join msg=done event=member-join serf_event=member-join applied=2 rejected=0 ignored=0 backends=2 store_changes=2 config=installed runtime=off reload=yes duration_ms=N',
  );
});

test('the same join again changes nothing and does not reload', async (t) => {
  const s = await setup(t);
  await s.run('member-join', WEB1);
  const again = await s.run('member-join', WEB1);
  assert.equal(again.code, 0);
  assert.deepEqual(again.commands, []);
  assert.match(doneLine(again.stderr), / store_changes=0 config=unchanged runtime=off reload=no /);
});

test('a failed reload exits 1 and is retried by the next run even though the config is unchanged', async (t) => {
  const s = await setup(t);
  s.answers.reload = { code: 1, output: 'supervisor not listening' };
  const failed = await s.run('member-join', WEB1);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^level=error component=member-join msg="reload command 'reload' failed \(exit 1\): supervisor not listening; will retry on the next event" event=member-join duration_ms=\d+$/m);
  s.answers.reload = {};
  const next = await s.run('member-join', WEB1);
  assert.equal(next.code, 0);
  assert.deepEqual(next.commands, ['reload']);
  assert.match(doneLine(next.stderr), / config=unchanged runtime=off reload=yes /);
  const third = await s.run('member-join', WEB1);
  assert.deepEqual(third.commands, []);
});

test('a failed check keeps the last good config, logs the reason and exits 1 without reloading', async (t) => {
  const s = await setup(t);
  await s.run('member-join', WEB1);
  const good = await readFile(s.config, 'utf8');
  s.answers.check = { code: 1, output: "[ALERT] unknown keyword 'x'" };
  const result = await s.run('member-join', WEB2);
  assert.equal(result.code, 1);
  assert.deepEqual(result.commands, ['check']);
  assert.equal(await readFile(s.config, 'utf8'), good);
  assert.match(result.stderr, /level=error .*msg="candidate config rejected by 'check' \(exit 1\): \[ALERT\] unknown keyword 'x'; last good config kept"/);
  assert.deepEqual(await readdir(s.dir), ['haproxy.cfg', 'haproxy.cfg.hbs', 'nodes']);
});

test('a hostile batch applies its good lines, rejects the bad ones and exits 1', async (t) => {
  const s = await setup(t);
  const batch = [
    'web1\t10.0.0.5\tbackend\trole=backend',
    '../../etc/passwd\t10.0.0.6\tbackend\trole=backend',
    'evil\\n    server evil 6.6.6.6:80\t10.0.0.7\tbackend\trole=backend',
    'web3\t10.0.0.08\tbackend\trole=backend',
    'too-few-fields',
    'ha\t10.0.0.2\tlb\trole=lb',
    'web4\t10.0.0.9\tbackend\trole=backend,port=80abc',
    'web5\t10.0.0.10\tbackend\trole=backend',
  ].join('\n');
  const result = await s.run('member-join', batch);
  assert.equal(result.code, 1);
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web5.json']);
  const config = await readFile(s.config, 'utf8');
  assert.equal(config.match(/server /g)?.length, 2);
  assert.ok(!config.includes('evil'));
  assert.equal(result.stderr.match(/msg="member rejected"/g)?.length, 5);
  assert.equal(result.stderr.match(/msg="member ignored"/g)?.length, 1);
  assert.match(doneLine(result.stderr), / applied=2 rejected=5 ignored=1 backends=2 /);
  for (const line of result.stderr.trimEnd().split('\n')) assert.match(line, /^level=\w+ component=member-join msg=/);
});

for (const entry of ['member-leave', 'member-failed', 'member-reap'] as const) {
  test(`${entry} removes the member's file and its server line`, async (t) => {
    const s = await setup(t);
    await s.run('member-join', WEB1 + WEB2);
    const result = await s.run(entry, WEB1);
    assert.equal(result.code, 0);
    assert.deepEqual(await readdir(s.nodes), ['web2.json']);
    assert.ok(!(await readFile(s.config, 'utf8')).includes('web1'));
    assert.deepEqual(result.commands, ['check', 'reload']);
  });
}

test('update moves a member to its new address and port', async (t) => {
  const s = await setup(t);
  await s.run('member-join', WEB1);
  const result = await s.run('member-update', 'web1\t10.0.0.9\tbackend\trole=backend,port=4000\n');
  assert.equal(result.code, 0);
  assert.match(await readFile(s.config, 'utf8'), /server web1 10\.0\.0\.9:4000 weight 1\n/);
});

test('reconcile makes the store exactly the alive backends the members command lists', async (t) => {
  const s = await setup(t, 'reconcile');
  await s.run('member-join', WEB1 + WEB2);
  s.answers.members = {
    stdout: JSON.stringify({
      members: [
        { name: 'web2', addr: '[fd00::2]:7946', tags: { role: 'backend', weight: '7' }, status: 'alive' },
        { name: 'web3', addr: '10.0.0.7:7946', tags: { role: 'backend' }, status: 'alive' },
        { name: 'web1', addr: '10.0.0.5:7946', tags: { role: 'backend' }, status: 'failed' },
        { name: 'ha', addr: '10.0.0.2:7946', tags: { role: 'lb' }, status: 'alive' },
      ],
    }),
  };
  const result = await s.run('reconcile');
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, ['members', 'check', 'reload']);
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web2.json', 'web3.json']);
});

test('a failing members command fails reconcile and changes nothing', async (t) => {
  const s = await setup(t, 'reconcile');
  await s.run('member-join', WEB1);
  s.answers.members = { code: 1, output: 'Error connecting to Serf agent' };
  const result = await s.run('reconcile');
  assert.equal(result.code, 1);
  assert.deepEqual(await readdir(s.nodes), ['web1.json']);
});

test("with --members-rpc, reconcile reads the members over the agent's RPC with SERF_RPC_AUTH, not by the members command", async (t) => {
  const s = await setup(t, 'reconcile');
  await s.run('member-join', WEB1);
  const agent = await startFakeSerfRpc('rpc-token-1', [
    { Name: 'web3', Addr: Buffer.from([10, 0, 0, 7]), Port: 7946, Tags: { role: 'backend' }, Status: 'alive' },
    { Name: 'web1', Addr: Buffer.from([10, 0, 0, 5]), Port: 7946, Tags: { role: 'backend' }, Status: 'left' },
  ]);
  t.after(() => agent.close());
  const result = await s.run('reconcile', '', ['--members-rpc', agent.address], { SERF_RPC_AUTH: 'rpc-token-1' });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.commands, ['check', 'reload']);
  assert.deepEqual(agent.commands, ['handshake', 'auth', 'members']);
  assert.deepEqual(await readdir(s.nodes), ['web3.json']);
  const refused = await s.run('reconcile', '', ['--members-rpc', agent.address], { SERF_RPC_AUTH: 'wrong-token' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`msg="serf RPC ${agent.address}: auth: Invalid authentication token"`));
  assert.deepEqual(await readdir(s.nodes), ['web3.json']);
});

test('dry run prints the config and changes nothing, not even the nodes directory', async (t) => {
  const s = await setup(t);
  const result = await s.run('member-join', WEB1, ['--dry-run']);
  assert.equal(result.code, 0);
  assert.equal(result.stdout, 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n');
  assert.deepEqual(result.commands, []);
  assert.deepEqual(await readdir(s.dir), ['haproxy.cfg.hbs']);
  assert.match(doneLine(result.stderr), / config=dry-run runtime=off reload=no /);
});

test('dry run over an existing store shows the change and leaves the files', async (t) => {
  const s = await setup(t);
  await s.run('member-join', WEB1 + WEB2);
  const before = await readFile(s.config, 'utf8');
  const result = await s.run('member-leave', WEB1, [], { DRY_RUN: '1' });
  assert.equal(result.stdout, 'backend webapps\n    server web2 [fd00::2]:3000 weight 7\n');
  assert.deepEqual((await readdir(s.nodes)).sort(), ['web1.json', 'web2.json']);
  assert.equal(await readFile(s.config, 'utf8'), before);
});

test('--help prints usage on stdout and exits 2', async (t) => {
  const s = await setup(t);
  const result = await s.run('member-join', '', ['--help']);
  assert.equal(result.code, 2);
  assert.match(result.stdout, /^usage: member-join \[options\] < members\n/);
  assert.equal(result.stderr, '');
});

test('an unknown option prints the reason and usage on stderr and exits 2, touching nothing', async (t) => {
  const s = await setup(t);
  const result = await s.run('member-join', WEB1, ['--nodes-dri', '/x']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^member-join: unknown option --nodes-dri\nusage: member-join /);
  assert.deepEqual(await readdir(s.dir), ['haproxy.cfg.hbs']);
});

test('a broken template keeps the membership record and exits 1 with a TemplateError line', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'haproxy.cfg.hbs'), '{{#each servers}}server {{nmae}}\n{{/each}}');
  const result = await s.run('member-join', WEB1);
  assert.equal(result.code, 1);
  assert.deepEqual(await readdir(s.nodes), ['web1.json']);
  assert.match(result.stderr, /level=error .*msg="template does not render: \\"nmae\\" not defined/);
});

test('bad files in the nodes directory are moved aside with a log line, not fatal', async (t) => {
  const s = await setup(t);
  await s.run('member-join', WEB1);
  await writeFile(join(s.nodes, 'junk.json'), '{');
  const result = await s.run('member-join', WEB2);
  assert.equal(result.code, 0);
  assert.match(result.stderr, /msg="nodes file moved aside" file=junk.json reason=/);
  assert.equal((await readFile(s.config, 'utf8')).match(/server /g)?.length, 2);
});

test('with a running HAProxy, a join adds the servers at run time: no check, no reload, and the file follows', async (t) => {
  const s = await setup(t, 'render', new FakeRuntime());
  await s.run('render');
  const result = await s.run('member-join', WEB1 + WEB2);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.commands, []);
  assert.deepEqual(s.runtime!.names(), ['web1', 'web2']);
  assert.match(doneLine(result.stderr), / config=installed runtime=applied runtime_added=2 runtime_removed=0 reload=no /);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n    server web1 10.0.0.5:3001 weight 1\n    server web2 [fd00::2]:3000 weight 7\n');
});

test('with a running HAProxy, a leave drains the server and deletes it, and a failure deletes at once', async (t) => {
  const s = await setup(t, 'render', new FakeRuntime());
  await s.run('render');
  await s.run('member-join', WEB1 + WEB2);
  const left = await s.run('member-leave', WEB1);
  assert.match(doneLine(left.stderr), / runtime=applied runtime_added=0 runtime_removed=1 reload=no /);
  assert.ok(s.runtime!.commands.includes('set server webapps/web1 state drain'));
  await s.run('member-failed', WEB2);
  assert.ok(!s.runtime!.commands.includes('set server webapps/web2 state drain'));
  assert.deepEqual(s.runtime!.names(), []);
  assert.equal(await readFile(s.config, 'utf8'), 'backend webapps\n');
});

test('a template change outside the server lines is checked and reloaded, after saving the servers\' state', async (t) => {
  const s = await setup(t, 'render', new FakeRuntime());
  await s.run('render');
  await s.run('member-join', WEB1);
  await writeFile(join(s.dir, 'haproxy.cfg.hbs'), `# tuned\n${TEMPLATE}`);
  const result = await s.run('member-join', WEB1);
  assert.deepEqual(result.commands, ['check', 'reload']);
  assert.match(doneLine(result.stderr), / config=installed runtime=fallback reload=yes /);
  assert.match(result.stderr, /msg="runtime API not used, reloading instead" reason="the config changed outside its server lines"/);
  assert.match(await readFile(join(s.dir, 'server-state'), 'utf8'), /^1\n# be_id .*\n3 webapps 1 web1 10\.0\.0\.5 /);
});

test('a runtime command HAProxy refuses falls back to the checked reload, and says why', async (t) => {
  const s = await setup(t, 'render', new FakeRuntime());
  await s.run('render');
  s.runtime!.refusals.set('add server', 'Invalid address.');
  const result = await s.run('member-join', WEB1);
  assert.equal(result.code, 0);
  assert.deepEqual(result.commands, ['check', 'reload']);
  assert.match(result.stderr, /reason="runtime API refused: 'add server webapps\/web1 10\.0\.0\.5:3001 weight 1; enable server webapps\/web1': Invalid address\."/);
});

test('reconcile repairs a running HAProxy that drifted from the file, both ways, and says so', async (t) => {
  const s = await setup(t, 'render', new FakeRuntime());
  s.answers.members = { stdout: JSON.stringify({ members: [{ name: 'web1', addr: '10.0.0.5:7946', status: 'alive', tags: { role: 'backend', port: '3001' } }] }) };
  await s.run('render');
  await s.run('reconcile');
  // Someone deletes web1 and adds a stranger through the admin socket.
  await s.runtime!.command('set server webapps/web1 state maint');
  await s.runtime!.command('del server webapps/web1');
  await s.runtime!.command('add server webapps/stranger 10.9.9.9:80');
  const repaired = await s.run('reconcile');
  assert.deepEqual(s.runtime!.names(), ['web1']);
  assert.match(repaired.stderr, /msg="runtime drift repaired" added=1 removed=1 reweighted=0/);
  assert.match(doneLine(repaired.stderr), / store_changes=0 config=unchanged runtime=applied runtime_added=1 runtime_removed=1 reload=no /);
});
