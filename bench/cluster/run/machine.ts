import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { docker } from '../../../harness/docker/docker.ts';
import { containersWeight } from '../../../harness/docker/containers-weight.ts';
import { HA_IMAGE } from '../../../harness/docker/images.ts';
import { ascending, nearestRank } from '../../../harness/percentile.ts';

export interface Machine {
  cpus: number;
  memoryGiB: number;
  docker: string;
  haproxy: string;
  /** How the engine forwards published ports: docker-proxy relays each connection through a process of its own. */
  publishedPorts: 'docker-proxy' | 'kernel NAT' | 'unknown';
  commit: string;
  /** cpu.shares of Docker's /docker group during the run, or 'none' (cgroup v2, another driver). */
  containersWeight: string;
  /** p50 of bare `node -e 0`, ms: how fast this machine starts a process, which varies from day to day. */
  nodeStartMs: number;
}

async function nodeStartMs(runs = 11): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await promisify(execFile)(process.execPath, ['-e', '0'], { env: { PATH: process.env.PATH } });
    times.push(performance.now() - started);
  }
  return Math.round(nearestRank(ascending(times), 50)!);
}

/** Read off the running dockerd's flags and /etc/docker/daemon.json (the engine's API does not tell). */
async function publishedPorts(): Promise<Machine['publishedPorts']> {
  const flags = await promisify(execFile)('pgrep', ['-a', '-x', 'dockerd']).then((r) => r.stdout, () => undefined);
  if (flags === undefined) return 'unknown';
  if (/--userland-proxy[= ]false\b/.test(flags)) return 'kernel NAT';
  const config = await readFile('/etc/docker/daemon.json', 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}) as Record<string, unknown>);
  return config['userland-proxy'] === false ? 'kernel NAT' : 'docker-proxy';
}

/** What the figures were measured on, so a reader can tell a slow machine from a slow design. */
export async function describeMachine(): Promise<Machine> {
  const engine = await docker(['version', '--format', '{{.Server.Version}}']);
  const haproxy = await docker(['run', '--rm', '--entrypoint', 'haproxy', HA_IMAGE, '-v']);
  const commit = await promisify(execFile)('git', ['describe', '--always', '--dirty']).then((r) => r.stdout.trim(), () => 'unknown');
  return {
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    docker: engine.stdout.trim() || 'unknown',
    haproxy: /version (\S+)/.exec(haproxy.stdout)?.[1] ?? 'unknown',
    publishedPorts: await publishedPorts(),
    commit,
    containersWeight: containersWeight() ?? 'none',
    nodeStartMs: await nodeStartMs(),
  };
}
