// What a handler run costs as Serf runs it: wall time of `node
// bundle/handlers/member-join.cjs` from spawn to exit, beside a bare `node -e 0`
// measured in the same run, so the tables show the handler's own overhead on
// this machine. Three shapes, for 1 to 1000 members:
//   batch:   N members join an empty store at once (N files written, each fsynced)
//   steady:  one member joins, then leaves, a cluster of N, by the checked
//            reload path (what a run does without a runtime API)
//   runtime: the same through HAProxy's runtime API (a stand-in on a unix
//            socket answering as HAProxy does), the run done in the handler
//   handed:  the same, handed over to a warm reconcile process
//            (handlers/cli/hand-over.ts): what a run in the ha image does
//
//   node scripts/run-ts.mjs bench/handler-speed.ts [runs] [member-join.cjs]
//
// A handler path other than bundle/handlers/member-join.cjs compares a build (an older
// commit's bundle, another esbuild option) under the same conditions.
//
// A batch run gets a fresh nodes dir and no live config, so it really writes
// every node file, renders, checks (`true`) and installs; reload is `true`.
// A steady run works on one store per size, filled once before timing.
// The first run writes V8's code cache beside the handlers (shared.cjs.cache),
// as the ha image's first run does (render, before HAProxy starts): every
// timed run uses it, as every later run in the image does.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { FakeRuntime } from '../harness/haproxy/fake-runtime.ts';
import { ascending, nearestRank } from '../harness/percentile.ts';

const SIZES = [1, 10, 100, 1000];
const RUNS = Number(process.argv[2] ?? 30);
const WARMUP = 3;
const TARGETS = { batch: 50, steady: 50, runtime: 25, handed: 25 } as const;
const TARGET_SIZE = 100;

const root = process.cwd();
const handler = resolve(process.argv[3] ?? join(root, 'bundle', 'handlers', 'member-join.cjs'));
const template = join(root, 'templates', 'haproxy.cfg.hbs');

/** What the last timed run wrote to stderr. */
let lastStderr = '';

/** Runs node with args and stdin; resolves to the wall time in ms, or rejects on a non-zero exit. */
function timeNode(args: string[], stdin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      lastStderr = stderr;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
    child.stdin.end(stdin);
  });
}

function membersInput(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `web${i}\t10.${i >> 16}.${(i >> 8) & 255}.${i & 255}\tbackend\trole=backend,port=3000\n`;
  return text;
}

// All runs' dirs live under one root, removed at the end: removing a
// 1000-file dir between runs kept the journal busy and slowed the next run's
// fsyncs, whatever its size.
const benchRoot = await mkdtemp(join(tmpdir(), 'bench-handler-'));
process.on('exit', () => rmSync(benchRoot, { recursive: true, force: true }));

/** The options of every run in `dir`; a warm reconcile given the same takes its runs over. */
function runOptions(dir: string, socket: string, pipeline: string): string[] {
  const config = join(dir, 'haproxy.cfg');
  const args = ['--nodes-dir', join(dir, 'nodes'), '--template', template, '--config', config, '--check-cmd', 'true', '--reload-cmd', 'true'];
  return [...args, '--admin-socket', socket, '--state-file', join(dir, 'server-state'), '--template-cache', join(dir, 'template-cache.json'), '--members-cmd', `cat ${join(dir, 'members.json')}`, '--pipeline-socket', pipeline];
}

/** A run without a runtime API unless `socket` names one, done in the handler unless `pipeline` names a warm process's socket. */
function runHandler(entry: string, dir: string, input: string, socket = 'none', pipeline = 'none'): Promise<number> {
  return timeNode([entry, ...runOptions(dir, socket, pipeline)], input);
}

/** `serf members -format json` for the members of membersInput(count), and ha itself. */
function membersJson(count: number): string {
  const members = [{ name: 'ha', addr: '10.255.0.1:7946', tags: { role: 'lb' }, status: 'alive' }];
  for (let i = 0; i < count; i++) members.push({ name: `web${i}`, addr: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:7946`, tags: { role: 'backend', port: '3000' } as never, status: 'alive' });
  return JSON.stringify({ members });
}

/** Stopped once the report is out (they would keep this process alive), or when it fails. */
const warmProcesses: ChildProcess[] = [];
process.on('exit', () => warmProcesses.forEach((child) => child.kill()));

/** Each warm reconcile's log so far, by its cluster's dir: a handed-over run logs there, not in its handler. */
const warmLogs = new Map<string, () => string>();

/** The ha image's warm reconcile for `dir`, reconciled once to its members.json, then idle; resolves once it takes runs over. */
function warmReconcile(dir: string, socket: string, pipeline: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dirname(handler), `reconcile${extname(handler)}`), ...runOptions(dir, socket, pipeline), '--every', '86400', '--monitor-cmd', 'none'], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
    let log = '';
    warmLogs.set(dir, () => log);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (/msg="taking member events over"/.test(log) && /msg=done event=reconcile/.test(log)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the warm reconcile exited (${code}): ${log.trim()}`)));
    warmProcesses.push(child);
  });
}

async function timeJoin(count: number, input: string, verify: boolean): Promise<number> {
  const dir = await mkdtemp(join(benchRoot, 'run-'));
  const config = join(dir, 'haproxy.cfg');
  const ms = await runHandler(handler, dir, input);
  if (verify) {
    const servers = (await readFile(config, 'utf8')).match(/^\s*server /gm)?.length ?? 0;
    if (servers !== count) throw new Error(`expected ${count} server lines, got ${servers}`);
  }
  return ms;
}

/** Nearest-rank percentile of a non-empty sample. */
const percentile = (samples: readonly number[], p: number): number => nearestRank(ascending(samples), p)!;

// Beside the join entry, with its extension: an older build's .mjs compares too.
const leaveHandler = join(dirname(handler), `member-leave${extname(handler)}`);
const extra = 'extra\t10.255.255.1\tbackend\trole=backend,port=3000\n';
const steadyDirs = new Map<number, string>();
for (const n of SIZES) {
  const dir = await mkdtemp(join(benchRoot, `steady-${n}-`));
  await runHandler(handler, dir, membersInput(n));
  steadyDirs.set(n, dir);
}

/**
 * A cluster of `count` filled like the steady ones, with its stand-in
 * HAProxy, which `bringUp` brings to the same servers.
 */
async function standInCluster(count: number, shape: string, bringUp: (dir: string, socket: string) => Promise<unknown>): Promise<{ dir: string; socket: string; fake: FakeRuntime }> {
  const dir = await mkdtemp(join(benchRoot, `${shape}-${count}-`));
  const socket = join(dir, 'admin.sock');
  const fake = new FakeRuntime();
  (await fake.serveOn(socket)).unref();
  await runHandler(handler, dir, membersInput(count));
  await bringUp(dir, socket);
  if (fake.names().length !== count) throw new Error(`expected the ${shape} shape's stand-in HAProxy to hold ${count} servers after filling, got ${fake.names().length}`);
  return { dir, socket, fake };
}

// The runtime shape's clusters: a run through the runtime API fills each stand-in.
const runtimeDirs = new Map<number, { dir: string; socket: string; fake: FakeRuntime }>();
for (const n of SIZES) runtimeDirs.set(n, await standInCluster(n, 'runtime', (dir, socket) => runHandler(handler, dir, membersInput(n), socket)));

/** One member joins the cluster of `count`, then leaves it: two real runs, two samples. */
async function timeSteady(count: number): Promise<number[]> {
  const dir = steadyDirs.get(count)!;
  return [await runHandler(handler, dir, extra), await runHandler(leaveHandler, dir, extra)];
}

// The handed-over shape's clusters: the same, each with a warm reconcile
// holding them, as the ha image runs one; its first reconcile fills the stand-in.
const pipelineSocket = (dir: string) => join(dir, 'run', 'pipeline.sock');
const handedDirs = new Map<number, { dir: string; socket: string; fake: FakeRuntime }>();
for (const n of SIZES) {
  handedDirs.set(n, await standInCluster(n, 'handed', async (dir, socket) => {
    await writeFile(join(dir, 'members.json'), membersJson(n));
    await warmReconcile(dir, socket, pipelineSocket(dir));
  }));
}

/** timeSteady through the runtime API; checks that the join and the leave really changed the stand-in HAProxy. */
async function timeRuntime(count: number): Promise<number[]> {
  const { dir, socket, fake } = runtimeDirs.get(count)!;
  const joined = await runHandler(handler, dir, extra, socket);
  if (fake.names().length !== count + 1) throw new Error(`a join through the runtime API left ${fake.names().length} servers, not ${count + 1}`);
  const left = await runHandler(leaveHandler, dir, extra, socket);
  if (fake.names().length !== count) throw new Error(`a leave through the runtime API left ${fake.names().length} servers, not ${count}`);
  return [joined, left];
}
/** The duration_ms of every handed-over run in a warm reconcile's log, in order. */
const handedRuns = (log: string): number[] => [...log.matchAll(/handed_over=yes duration_ms=(\d+)/g)].map((m) => Number(m[1]));

/**
 * timeRuntime handed over: the handler's wall time ends once the warm
 * process queued the run. Each sample then waits for that run's done line,
 * so the next handler never meets the warm process still busy, and keeps its
 * duration_ms, the run's time in the warm process.
 */
const handedWork = new Map(SIZES.map((n) => [n, [] as number[]]));
async function timeHanded(count: number): Promise<number[]> {
  const { dir, socket, fake } = handedDirs.get(count)!;
  const pipeline = pipelineSocket(dir);
  const warmLog = warmLogs.get(dir)!;
  const samples: number[] = [];
  for (const [entry, servers] of [[handler, count + 1], [leaveHandler, count]] as const) {
    const before = handedRuns(warmLog()).length;
    samples.push(await runHandler(entry, dir, extra, socket, pipeline));
    if (lastStderr !== '') throw new Error(`a run was not handed over to the warm reconcile: ${lastStderr.trim()}`);
    for (const deadline = Date.now() + 10_000; handedRuns(warmLog()).length === before; ) {
      if (Date.now() > deadline) throw new Error(`the warm reconcile did not finish a handed-over run within 10 s: ${warmLog().slice(-400)}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    if (fake.names().length !== servers) throw new Error(`a handed-over run left ${fake.names().length} servers, not ${servers}`);
    handedWork.get(count)!.push(handedRuns(warmLog())[before]!);
  }
  return samples;
}

const inputs = new Map(SIZES.map((n) => [n, membersInput(n)]));
const batch = new Map(SIZES.map((n) => [n, [] as number[]]));
const steady = new Map(SIZES.map((n) => [n, [] as number[]]));
const runtime = new Map(SIZES.map((n) => [n, [] as number[]]));
const handed = new Map(SIZES.map((n) => [n, [] as number[]]));
const node: number[] = [];

for (let i = 0; i < WARMUP; i++) {
  await timeNode(['-e', '0'], '');
  for (const n of SIZES) await timeJoin(n, inputs.get(n)!, true);
  for (const n of SIZES) await timeSteady(n);
  for (const n of SIZES) await timeRuntime(n);
  for (const n of SIZES) await timeHanded(n);
}
// Interleaved, so a slow moment of the machine hits every column alike.
for (let i = 0; i < RUNS; i++) {
  node.push(await timeNode(['-e', '0'], ''));
  for (const n of SIZES) batch.get(n)!.push(await timeJoin(n, inputs.get(n)!, false));
  for (const n of SIZES) steady.get(n)!.push(...(await timeSteady(n)));
  for (const n of SIZES) runtime.get(n)!.push(...(await timeRuntime(n)));
  for (const n of SIZES) handed.get(n)!.push(...(await timeHanded(n)));
}

const nodeP50 = percentile(node, 50);
const fmt = (ms: number) => ms.toFixed(1).padStart(8);
console.log(`${handler}: ${RUNS} runs per size and shape (after ${WARMUP} warm-up), node ${process.version}, wall ms; bare node -e 0: p50 ${nodeP50.toFixed(1)}, p95 ${percentile(node, 95).toFixed(1)}`);
for (const [shape, samples] of [['batch: N members join an empty store', batch], ['steady: 1 member joins or leaves a cluster of N, checked reload', steady], ['runtime: 1 member joins or leaves a cluster of N, runtime API, run in the handler', runtime], ['handed: the same, handed over to the warm reconcile (as in the ha image)', handed]] as const) {
  console.log('');
  console.log(shape);
  console.log(`${'N'.padStart(7)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'overhead'.padStart(8)}`);
  for (const n of SIZES) {
    const s = samples.get(n)!;
    console.log(`${String(n).padStart(7)} ${fmt(percentile(s, 50))} ${fmt(percentile(s, 95))} ${fmt(percentile(s, 50) - nodeP50)}`);
  }
}
console.log('');
for (const [shape, samples] of [['batch', batch], ['steady', steady], ['runtime', runtime], ['handed', handed]] as const) {
  const overhead = percentile(samples.get(TARGET_SIZE)!, 50) - nodeP50;
  const target = TARGETS[shape];
  console.log(`${shape}: overhead at ${TARGET_SIZE} members (p50 handler - p50 node): ${overhead.toFixed(1)} ms, target ≤ ${target} ms: ${overhead <= target ? 'met' : 'NOT met'}`);
}
console.log('');
console.log(`handed: of each run, the warm process's own duration_ms, p50: ${SIZES.map((n) => `${percentile(handedWork.get(n)!, 50)} ms at ${n}`).join(', ')}`);
warmProcesses.forEach((child) => child.kill());
