import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { docker } from '../../../harness/docker/docker.ts';
import { HA_IMAGE } from '../../../harness/docker/images.ts';

export interface Machine {
  cpus: number;
  memoryGiB: number;
  docker: string;
  haproxy: string;
  commit: string;
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
    commit,
  };
}
