// A load balancer's files in a temp folder and a way to run the bundled
// handlers on them as Serf does, with fake check and reload commands. The
// reload command records the sha256 of the live config, so a test can tell
// which config HAProxy was last told about. A run can be killed with SIGKILL
// at a chosen point (after a given fs call on a given path) or after a delay.
import type { TestContext } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../fakes.ts';

export const bundleDir = join(process.cwd(), 'bundle', 'handlers');

export const TEMPLATE = `backend webapps
{{#each servers}}
    server {{name}} {{hostport}} weight {{weight}}
{{/each}}
`;

/**
 * Preloaded with --import: wraps one fs/promises function so the process
 * SIGKILLs itself right after (or before) the call whose path argument ends
 * with the given suffix. KILL_AT=after:rename:haproxy.cfg
 */
const KILL_POINT = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const [when, op, suffix] = process.env.KILL_AT.split(':');
const real = fs.promises[op];
const hits = (args) => args.some((a) => typeof a === 'string' && a.endsWith(suffix));
fs.promises[op] = async (...args) => {
  if (when === 'before' && hits(args)) process.kill(process.pid, 'SIGKILL');
  const result = await real.apply(fs.promises, args);
  if (when === 'after' && hits(args)) process.kill(process.pid, 'SIGKILL');
  return result;
};
syncBuiltinESMExports();
`;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  flags?: Record<string, string | true>;
  /** `when:op:pathSuffix`, e.g. `after:rename:haproxy.cfg`. */
  killAt?: string;
  /** SIGKILL the run this many ms after it starts. */
  killAfterMs?: number;
  /** Called with the child once spawned (to hold its stdin, kill it...). */
  onSpawn?: (child: ChildProcess) => void;
  /** Leave stdin open; the caller ends it through onSpawn. */
  holdStdin?: boolean;
}

export interface Sandbox {
  dir: string;
  nodes: string;
  config: string;
  template: string;
  members: string;
  handler: (entry: string, stdin?: string, options?: RunOptions) => Promise<Run>;
  /** sha256 of the live config at each reload, oldest first. */
  reloads: () => Promise<string[]>;
  liveSha: () => Promise<string>;
  servers: () => Promise<string[]>;
  nodeFiles: () => Promise<string[]>;
  /** Writes what `serf members -format json` prints, which every reconcile pass reads. */
  setMembers: (members: readonly SerfJsonMember[]) => Promise<void>;
  /** Starts the engine (a reconcile with an interval) on these files; resolves once its first pass is done. */
  engine: (flags?: Record<string, string | true>) => Promise<Engine>;
  /** The engine's socket, which member events' handlers are given. */
  engineSocket: string;
}

export interface Engine {
  child: ChildProcess;
  /** Everything it logged so far. */
  log: () => string;
  /** Resolves once it has logged `count` done lines in all. */
  passes: (count: number) => Promise<void>;
  /** Resolves once its log matches. */
  logged: (pattern: RegExp) => Promise<void>;
  /** Resolves once its socket is there (it listens once its agent has joined). */
  listening: () => Promise<void>;
}

export interface SerfJsonMember {
  name: string;
  addr: string;
  tags: Record<string, string>;
  status: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function sandbox(t: TestContext): Promise<Sandbox> {
  const dir = await tempDir(t, 'serf-haproxy-sandbox-');
  const nodes = join(dir, 'nodes');
  const config = join(dir, 'haproxy.cfg');
  const template = join(dir, 'haproxy.cfg.hbs');
  const members = join(dir, 'members.json');
  const killPoint = join(dir, 'kill-point.mjs');
  await writeFile(template, TEMPLATE);
  await writeFile(killPoint, KILL_POINT);
  await writeFile(members, JSON.stringify({ members: [] }));
  const readOr = (path: string) => readFile(path, 'utf8').catch(() => '');
  const engineSocket = join(dir, 'run', 'engine.sock');
  const flagsOf = (flags: Record<string, string | true>) => {
    const all: Record<string, string | true> = {
      'nodes-dir': nodes,
      template,
      config,
      'check-cmd': '! grep -q BROKEN',
      'reload-cmd': `sha256sum ${config} | cut -c1-64 >> ${join(dir, 'reloads')}`,
      'members-cmd': `cat ${members}`,
      'engine-socket': engineSocket,
      ...flags,
    };
    return Object.entries(all).flatMap(([flag, value]) => (value === true ? [`--${flag}`] : [`--${flag}`, value]));
  };
  const engine: Sandbox['engine'] = (flags = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(bundleDir, 'reconcile.cjs'), ...flagsOf({ interval: '3600', ...flags })], { cwd: dir, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
      t.after(() => child.kill('SIGKILL'));
      let log = '';
      const waiting: { seen: () => boolean; done: () => void }[] = [];
      const settle = () => {
        for (const w of waiting.filter((w) => w.seen())) w.done();
      };
      const passCount = () => log.match(/ msg=done /g)?.length ?? 0;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        settle();
      });
      child.on('error', reject);
      const it: Engine = {
        child,
        log: () => log,
        passes: (count) => new Promise<void>((done) => {
          waiting.push({ seen: () => passCount() >= count, done });
          settle();
        }),
        logged: (pattern) => new Promise<void>((done) => {
          waiting.push({ seen: () => pattern.test(log), done });
          settle();
        }),
        listening: async () => {
          while (!(await stat(engineSocket).then((st) => st.isSocket(), () => false))) await new Promise((resolve) => setTimeout(resolve, 20));
        },
      };
      void it.passes(1).then(() => resolve(it));
    });
  const handler: Sandbox['handler'] = (entry, stdin = '', options = {}) => {
    // A member event's handler takes only the engine's socket; the entries that run passes take all.
    const args = entry.startsWith('member-') ? ['--engine-socket', engineSocket, ...Object.entries(options.flags ?? {}).flatMap(([f, v]) => (v === true ? [`--${f}`] : [`--${f}`, v]))] : flagsOf(options.flags ?? {});
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, SERF_EVENT: entry, SERF_SELF_NAME: 'ha' };
    const node = options.killAt ? ['--import', killPoint] : [];
    if (options.killAt) env.KILL_AT = options.killAt;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...node, join(bundleDir, `${entry}.cjs`), ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdin.on('error', () => {});
      child.on('error', reject);
      const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
      options.onSpawn?.(child);
      if (!options.holdStdin) child.stdin.end(stdin);
      else child.stdin.write(stdin);
    });
  };
  return {
    dir,
    nodes,
    config,
    template,
    members,
    handler,
    reloads: async () => (await readOr(join(dir, 'reloads'))).split('\n').filter(Boolean),
    liveSha: async () => sha256(await readOr(config)),
    servers: async () => (await readOr(config)).split('\n').filter((l) => l.includes('server ')).map((l) => l.trim()),
    nodeFiles: async () => (await readdir(nodes).catch(() => [])).sort(),
    setMembers: (list) => writeFile(members, JSON.stringify({ members: list })),
    engine,
    engineSocket,
  };
}

/** A member line as the Serf agent writes it on a handler's stdin. */
export function eventLine(member: SerfJsonMember): string {
  return `${member.name}\t${member.addr.replace(/:\d+$/, '')}\t${member.tags.role ?? ''}\t${Object.entries(member.tags).map(([k, v]) => `${k}=${v}`).join(',')}\n`;
}

/** What the ha agent lists for itself. */
export const HA: SerfJsonMember = { name: 'ha', addr: '10.0.0.2:7946', tags: { role: 'lb' }, status: 'alive' };

export function backend(name: string, ip: string, tags: Record<string, string> = {}, status = 'alive'): SerfJsonMember {
  return { name, addr: `${ip}:7946`, tags: { role: 'backend', ...tags }, status };
}

