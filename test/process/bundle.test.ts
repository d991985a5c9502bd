// The shipped artefacts: bundle/ must be what build.mjs makes from the
// sources, and each bundled handler must do its job as Serf runs it (a node
// process, members on stdin, options on the command line).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { type FileHandle, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { tempDir } from '../fakes.ts';

// The runner runs tests from .build/ with the repo root as cwd.
const root = process.cwd();
const bundleDir = join(root, 'bundle', 'handlers');

test('bundle/ holds exactly what build.mjs builds from the sources', async () => {
  const { builds } = (await import(pathToFileURL(join(root, 'build.mjs')).href)) as { builds: esbuild.BuildOptions[] };
  const built = new Map<string, string>();
  for (const options of builds) {
    const result = await esbuild.build({ ...options, write: false, logLevel: 'silent' });
    for (const file of result.outputFiles!) built.set(relative(join(root, 'bundle'), file.path), file.text);
  }
  const committed = (await readdir(join(root, 'bundle'), { recursive: true })).map(String).filter((f) => /\.[cm]js$/.test(f));
  assert.deepEqual([...built.keys()].sort(), committed.sort(), 'one file per entry, the shared code and the compiler, no stale ones');
  for (const [name, text] of built) {
    assert.ok((await readFile(join(root, 'bundle', name), 'utf8')) === text, `bundle/${name} is stale: run \`node build.mjs\` and commit it`);
  }
});

test("the handlers ship small and CommonJS: entries that load the shared code through its code cache, Handlebars' compiler apart, no source-map library", async () => {
  // Runs (these tests' among them) leave V8's code cache beside the code: not shipped (.gitignore, .dockerignore).
  const files = (await readdir(bundleDir)).filter((f) => !/\.cache$|\.tmp$/.test(f));
  // An ES module entry would start Node's ESM loader on every run.
  assert.deepEqual(files.filter((f) => !f.endsWith('.cjs')), [], 'every file of bundle/handlers is CommonJS');
  assert.match(await readFile(join(bundleDir, 'member-join.cjs'), 'utf8'), /require\("\.\/start\.cjs"\)/);
  assert.match(await readFile(join(bundleDir, 'start.cjs'), 'utf8'), /requireWithCodeCache\(\(0, import_node_path\d*\.join\)\(__dirname, "shared\.cjs"\), require\)/);
  const shared = await readFile(join(bundleDir, 'shared.cjs'), 'utf8');
  assert.ok(!shared.includes('function Compiler('), 'the compiler is not loaded by every run');
  assert.match(shared, /require\("\.\/handlebars\.cjs"\)/, 'the compiler is required from its own file');
  // Code that vm.Script runs cannot import().
  assert.doesNotMatch(shared, /\bimport\(/);
  assert.ok((await readFile(join(bundleDir, 'handlebars.cjs'), 'utf8')).includes('function Compiler('));
  for (const file of files) assert.doesNotMatch(await readFile(join(bundleDir, file), 'utf8'), /SourceMapGenerator/);
  let lines = 0;
  // The demo web app is not counted: it ships the ws library (about 3,900 lines) for its WebSocket endpoint.
  for (const file of (await readdir(join(root, 'bundle'), { recursive: true })).map(String).filter((f) => /\.[cm]js$/.test(f) && f !== 'webapp.cjs')) {
    lines += (await readFile(join(root, 'bundle', file), 'utf8')).split('\n').length;
  }
  assert.ok(lines <= 9000, `bundle/ holds ${lines} lines, at most 9000`);
});

const TEMPLATE = `backend webapps
{{#each servers}}
    server {{name}} {{hostport}} weight {{weight}}
{{/each}}
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Lb {
  root: string;
  dir: string;
  nodes: string;
  config: string;
  /** Runs bundle/<entry>.cjs as Serf would, with fake check and reload commands. */
  /** `nodeArgs` go before the entry, as the images give `--snapshot-blob`. */
  handler: (entry: string, stdin?: string, flags?: Record<string, string | true>, nodeArgs?: string[]) => Promise<Run>;
  reloads: () => Promise<number>;
  servers: () => Promise<string[]>;
  nodeFiles: () => Promise<string[]>;
}

function runNode(args: string[], cwd: string, stdin: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs node with stdin from an open file or /dev/null ('ignore') instead of a pipe. */
async function runWithStdin(args: string[], cwd: string, stdin: FileHandle | 'ignore'): Promise<Run> {
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH }, stdio: [stdin === 'ignore' ? 'ignore' : stdin.fd, 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    if (stdin !== 'ignore') await stdin.close();
  }
}

/** A load balancer's files in a temp dir: root/lb/{nodes/, haproxy.cfg.hbs, haproxy.cfg, reloads}. */
async function lb(t: TestContext): Promise<Lb> {
  const root = await tempDir(t);
  const dir = join(root, 'lb');
  await mkdir(dir);
  const nodes = join(dir, 'nodes');
  const config = join(dir, 'haproxy.cfg');
  await writeFile(join(dir, 'haproxy.cfg.hbs'), TEMPLATE);
  const handler: Lb['handler'] = (entry, stdin = '', flags = {}, nodeArgs = []) => {
    const all: Record<string, string | true> = {
      'nodes-dir': nodes,
      template: join(dir, 'haproxy.cfg.hbs'),
      config,
      // The check fails on a config that names a server BROKEN, like haproxy -c on a bad line.
      'check-cmd': '! grep -q BROKEN',
      'reload-cmd': `echo reload >> ${join(dir, 'reloads')}`,
      ...flags,
    };
    const args = Object.entries(all).flatMap(([flag, value]) => (value === true ? [`--${flag}`] : [`--${flag}`, value]));
    // Only PATH: no NODES_DIR or DRY_RUN from the environment running the tests.
    const env = { PATH: process.env.PATH, SERF_EVENT: entry, SERF_SELF_NAME: 'ha', SERF_TAG_ROLE: 'lb' };
    return runNode([...nodeArgs, join(bundleDir, `${entry}.cjs`), ...args], dir, stdin, env);
  };
  const readOr = (path: string) => readFile(path, 'utf8').catch(() => '');
  return {
    root,
    dir,
    nodes,
    config,
    handler,
    reloads: async () => (await readOr(join(dir, 'reloads'))).split('\n').filter(Boolean).length,
    servers: async () => (await readOr(config)).split('\n').filter((l) => l.includes('server')).map((l) => l.trim()),
    nodeFiles: async () => (await readdir(nodes).catch(() => [])).sort(),
  };
}

/** A member line as the Serf agent writes it. */
function line(name: string, address: string, tags: Record<string, string> = {}, role = 'backend'): string {
  const all = Object.entries({ role, ...tags }).map(([k, v]) => `${k}=${v}`);
  return `${name}\t${address}\t${role}\t${all.join(',')}\n`;
}

/** Every path under dir, relative to it, to prove nothing was written elsewhere. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

test('member-join: writes one file per backend, installs the config and reloads once', async (t) => {
  const s = await lb(t);
  const run = await s.handler('member-join', line('web1', '10.0.0.5', { port: '3001' }) + line('web2', 'fd00::2', { weight: '7' }) + line('ha', '10.0.0.2', {}, 'lb'));
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web2.json']);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3001 weight 1', 'server web2 [fd00::2]:3000 weight 7']);
  assert.equal(await s.reloads(), 1);
  const web1 = JSON.parse(await readFile(join(s.nodes, 'web1.json'), 'utf8'));
  assert.deepEqual(Object.keys(web1), ['name', 'address', 'port', 'weight', 'tags', 'updated']);
  assert.deepEqual(web1.tags, { port: '3001', role: 'backend' });
  assert.match(run.stderr, /msg=done event=member-join serf_event=member-join applied=2 rejected=0 ignored=1 backends=2 store_changes=2 config=installed runtime=off reload=yes duration_ms=\d+\n$/);
  assert.match(run.stderr, /msg="member ignored" reason="ha: role \\"lb\\" is not \\"backend\\""/);
});

test('member-join: the same join again writes nothing and does not reload', async (t) => {
  const s = await lb(t);
  const members = line('web1', '10.0.0.5') + line('web2', '10.0.0.6');
  await s.handler('member-join', members);
  const config = await readFile(s.config, 'utf8');
  const again = await s.handler('member-join', members);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await s.reloads(), 1);
  assert.equal(await readFile(s.config, 'utf8'), config);
  assert.match(again.stderr, / store_changes=0 config=unchanged runtime=off reload=no /);
});

test('member-update: a new address and port replace the old entry', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5'));
  // Two tags besides the role can be read two ways on an event line: the handler asks serf members.
  await writeFile(join(s.dir, 'members.json'), JSON.stringify({ members: [{ name: 'web1', addr: '10.0.0.9:7946', tags: { role: 'backend', port: '4000', weight: '3' }, status: 'alive' }] }));
  const run = await s.handler('member-update', line('web1', '10.0.0.9', { port: '4000', weight: '3' }), { 'members-cmd': 'cat members.json' });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web1.json']);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.9:4000 weight 3']);
  assert.equal(await s.reloads(), 2);
});

test('member-update: a backend whose role changes is removed', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5') + line('web2', '10.0.0.6'));
  const run = await s.handler('member-update', line('web1', '10.0.0.5', {}, 'draining'));
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web2.json']);
});

for (const entry of ['member-leave', 'member-failed', 'member-reap']) {
  test(`${entry}: removes the member's file and server line and reloads`, async (t) => {
    const s = await lb(t);
    await s.handler('member-join', line('web1', '10.0.0.5') + line('web2', '10.0.0.6') + line('web3', '10.0.0.7'));
    const run = await s.handler(entry, line('web1', '10.0.0.5') + line('web3', '10.0.0.7') + line('never-joined', '10.0.0.8'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await s.nodeFiles(), ['web2.json']);
    assert.deepEqual(await s.servers(), ['server web2 10.0.0.6:3000 weight 1']);
    assert.equal(await s.reloads(), 2);
    const again = await s.handler(entry, line('web1', '10.0.0.5'));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await s.reloads(), 2, 'removing what is already gone does not reload');
  });
}

test('a hostile batch: good lines applied, bad ones rejected, exit 1, nothing written outside the nodes dir', async (t) => {
  const s = await lb(t);
  const batch = [
    line('web1', '10.0.0.5'),
    line('../../escaped', '10.0.0.6'),
    line('..', '10.0.0.6'),
    // Serf escapes a newline in a name as \n: it must not become a server line.
    line('evil\\n    server evil 6.6.6.6:80', '10.0.0.7'),
    // A raw newline (not from Serf) splits the line; neither half may pass.
    'evil2\n    server evil2 6.6.6.6:80\t10.0.0.7\tbackend\trole=backend\n',
    line('web3', '010.0.0.8'),
    line('web4', 'fe80::1%eth0'),
    line('web5', 'web5.example.com'),
    line('web6', '10.0.0.9', { port: '65536' }),
    line('web7', '10.0.0.9', { weight: '257' }),
    line('web8', '0.0.0.0'),
    line('web9', '127.0.0.1', { port: '1936' }),
    'short\tline\n',
    line('web10', '10.0.0.10', { port: '3002' }),
  ].join('');
  const run = await s.handler('member-join', batch);
  assert.equal(run.code, 1);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web10.json']);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1', 'server web10 10.0.0.10:3002 weight 1']);
  assert.ok(!(await readFile(s.config, 'utf8')).includes('evil'));
  assert.equal(await s.reloads(), 1);
  assert.equal(run.stderr.match(/msg="member rejected"/g)?.length, 13);
  assert.match(run.stderr, / applied=2 rejected=13 ignored=0 /);
  for (const logLine of run.stderr.trimEnd().split('\n')) assert.match(logLine, /^level=(info|warn) component=member-join msg=/);
  assert.deepEqual(await tree(s.root), ['lb', 'lb/haproxy.cfg', 'lb/haproxy.cfg.hbs', 'lb/nodes', 'lb/nodes/web1.json', 'lb/nodes/web10.json', 'lb/reloads']);
});

test('a big batch with non-ASCII tag values arrives intact, however stdin is chunked', async (t) => {
  const s = await lb(t);
  const note = 'é€😀'.repeat(20);
  const members = Array.from({ length: 1200 }, (_, i) => line(`web${i}`, `10.${i >> 8}.${i & 255}.1`, { note })).join('');
  assert.ok(Buffer.byteLength(members) > 200_000, 'larger than one pipe chunk');
  const run = await s.handler('member-join', members);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await s.nodeFiles()).length, 1200);
  for (const file of await s.nodeFiles()) {
    assert.equal(JSON.parse(await readFile(join(s.nodes, file), 'utf8')).tags.note, note, file);
  }
});

test('stdin may be a file or /dev/null, as when a person runs a handler by hand', async (t) => {
  const s = await lb(t);
  const members = join(s.dir, 'members.txt');
  await writeFile(members, line('web1', '10.0.0.5'));
  const args = [join(bundleDir, 'member-join.cjs'), '--nodes-dir', s.nodes, '--template', join(s.dir, 'haproxy.cfg.hbs'), '--config', s.config, '--check-cmd', 'true', '--reload-cmd', 'true'];
  const fromFile = await runWithStdin(args, s.dir, await open(members, 'r'));
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
  const fromNull = await runWithStdin(args, s.dir, 'ignore');
  assert.equal(fromNull.code, 0, fromNull.stderr);
  assert.match(fromNull.stderr, /msg="members read" members=0\n/);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
});

test('concurrent handlers are serialised: every member lands and the last config has them all', async (t) => {
  const s = await lb(t);
  const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => s.handler('member-join', line(`web${i}`, `10.0.0.${i + 1}`))));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal((await s.nodeFiles()).length, 6);
  assert.equal((await s.servers()).length, 6);
  assert.equal(await s.reloads(), 6);
  assert.deepEqual((await readdir(s.nodes)).filter((f) => f.startsWith('.')), [], 'no lock or temp file left');
});

test('reconcile: the nodes dir becomes the alive backends of --members-cmd', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5') + line('stale', '10.0.0.66'));
  await writeFile(
    join(s.dir, 'members.json'),
    JSON.stringify({
      members: [
        { name: 'ha', addr: '10.0.0.2:7946', port: 7946, tags: { role: 'lb' }, status: 'alive' },
        { name: 'web1', addr: '10.0.0.5:7946', port: 7946, tags: { role: 'backend', port: '3001' }, status: 'alive' },
        { name: 'web2', addr: '[fd00::2]:7946', port: 7946, tags: { role: 'backend' }, status: 'alive' },
        { name: 'web3', addr: '10.0.0.7:7946', port: 7946, tags: { role: 'backend' }, status: 'failed' },
        { name: 'web4', addr: '10.0.0.8:7946', port: 7946, tags: { role: 'backend' }, status: 'left' },
      ],
    }),
  );
  const run = await s.handler('reconcile', '', { 'members-cmd': 'cat members.json' });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.nodeFiles(), ['web1.json', 'web2.json']);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3001 weight 1', 'server web2 [fd00::2]:3000 weight 1']);
  assert.equal(await s.reloads(), 2);
  const again = await s.handler('reconcile', '', { 'members-cmd': 'cat members.json' });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await s.reloads(), 2, 'a reconcile that changes nothing does not reload');
});

test('reconcile: a failing members command exits 1 and keeps the nodes dir', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5'));
  const run = await s.handler('reconcile', '', { 'members-cmd': 'cat missing.json' });
  assert.equal(run.code, 1);
  assert.deepEqual(await s.nodeFiles(), ['web1.json']);
  assert.match(run.stderr, /level=error component=reconcile msg="'cat missing.json' failed \(exit 1\): .*No such file/);
});

test('--dry-run prints the config it would write and changes nothing', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5'));
  const before = await tree(s.root);
  const config = await readFile(s.config, 'utf8');
  const run = await s.handler('member-join', line('web2', '10.0.0.6'), { 'dry-run': true });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'backend webapps\n    server web1 10.0.0.5:3000 weight 1\n    server web2 10.0.0.6:3000 weight 1\n');
  assert.deepEqual(await tree(s.root), before);
  assert.equal(await readFile(s.config, 'utf8'), config);
  assert.equal(await s.reloads(), 1);
});

test('--dry-run on a fresh machine does not even create the nodes dir', async (t) => {
  const s = await lb(t);
  const run = await s.handler('member-join', line('web1', '10.0.0.5'), { 'dry-run': true });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /server web1 10\.0\.0\.5:3000/);
  assert.deepEqual(await tree(s.root), ['lb', 'lb/haproxy.cfg.hbs']);
});

test('a failed check keeps the last good config, does not reload and exits 1', async (t) => {
  const s = await lb(t);
  await s.handler('member-join', line('web1', '10.0.0.5'));
  const good = await readFile(s.config, 'utf8');
  const run = await s.handler('member-join', line('BROKEN', '10.0.0.6'));
  assert.equal(run.code, 1);
  assert.equal(await readFile(s.config, 'utf8'), good);
  assert.equal(await s.reloads(), 1);
  assert.match(run.stderr, /level=error component=member-join msg="candidate config rejected by '! grep -q BROKEN' \(exit 1\): \(no output\); last good config kept" event=member-join duration_ms=\d+\n$/);
  assert.deepEqual((await readdir(s.dir)).sort(), ['haproxy.cfg', 'haproxy.cfg.hbs', 'nodes', 'reloads'], 'no candidate left');
  // Once the bad member leaves, the next event installs a good config again.
  const healed = await s.handler('member-leave', line('BROKEN', '10.0.0.6'));
  assert.equal(healed.code, 0, healed.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
});

test('a failed reload is retried by the next event even when the config is unchanged', async (t) => {
  const s = await lb(t);
  const failing = await s.handler('member-join', line('web1', '10.0.0.5'), { 'reload-cmd': 'false' });
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /msg="reload command 'false' failed \(exit 1\): \(no output\); will retry on the next event"/);
  const retry = await s.handler('member-join', line('web1', '10.0.0.5'));
  assert.equal(retry.code, 0, retry.stderr);
  assert.match(retry.stderr, / config=unchanged runtime=off reload=yes /);
  assert.equal(await s.reloads(), 1);
});

test("from the images' startup snapshot (bundle/node-snapshot.cjs), a handler runs as `node <entry>` does: same argv, same result", async (t) => {
  const plain = await lb(t);
  const blob = join(plain.root, 'node.blob');
  const build = await runNode(['--snapshot-blob', blob, '--build-snapshot', join(root, 'bundle', 'node-snapshot.cjs')], plain.root, '', { PATH: process.env.PATH });
  assert.equal(build.code, 0, build.stderr);
  const fromBlob = await lb(t);
  const members = line('web1', '10.0.0.5') + line('web2', '10.0.0.6');
  const [a, b] = [await plain.handler('member-join', members), await fromBlob.handler('member-join', members, {}, ['--snapshot-blob', blob])];
  assert.deepEqual([a.code, b.code], [0, 0], b.stderr);
  assert.deepEqual(await fromBlob.servers(), await plain.servers());
  assert.equal((await fromBlob.servers()).length, 2);
  assert.deepEqual([await fromBlob.reloads(), await fromBlob.nodeFiles()], [1, ['web1.json', 'web2.json']]);
  const missing = await runNode(['--snapshot-blob', blob], plain.root, '', { PATH: process.env.PATH });
  assert.deepEqual([missing.code, missing.stderr], [2, 'usage: node --snapshot-blob node.blob <script> [args]: the script to run is missing\n']);
});

test('--help prints usage and exits 2; a bad option prints usage on stderr and exits 2', async (t) => {
  const s = await lb(t);
  const help = await runNode([join(bundleDir, 'member-join.cjs'), '--help'], s.dir, '', { PATH: process.env.PATH });
  assert.equal(help.code, 2);
  assert.match(help.stdout, /^usage: member-join \[options\] < members\n/);
  const bad = await runNode([join(bundleDir, 'reconcile.cjs'), '--bogus'], s.dir, '', { PATH: process.env.PATH });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^reconcile: unknown option --bogus\nusage: reconcile /);
  assert.deepEqual(await tree(s.root), ['lb', 'lb/haproxy.cfg.hbs']);
});

test('options fall back to the environment, as in the image', async (t) => {
  const s = await lb(t);
  const run = await runNode([join(bundleDir, 'member-join.cjs')], s.dir, line('web1', '10.0.0.5'), {
    PATH: process.env.PATH,
    NODES_DIR: s.nodes,
    HAPROXY_TEMPLATE: join(s.dir, 'haproxy.cfg.hbs'),
    HAPROXY_CONFIG: s.config,
    HAPROXY_CHECK_CMD: 'true',
    HAPROXY_RELOAD_CMD: `echo reload >> ${join(s.dir, 'reloads')}`,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await s.servers(), ['server web1 10.0.0.5:3000 weight 1']);
  assert.equal(await s.reloads(), 1);
});
