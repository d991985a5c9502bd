import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '../../../harness/docker/cluster.ts';
import { docker } from '../../../harness/docker/docker.ts';

/** A line of a container's log with the time Docker received it (epoch ms). */
export interface LogLine {
  atMs: number;
  text: string;
}

/**
 * Both streams of `docker logs -t`, in time order: the handlers write to
 * PID 1's stderr, Serf and HAProxy to stdout.
 */
export function haLogLines(cluster: Cluster, ha = 'ha'): Promise<LogLine[]> {
  return containerLogLines(cluster, ha);
}

/** Any container of the cluster's log, as haLogLines() reads ha's (a webapp's `msg=listening`). */
export async function containerLogLines(cluster: Cluster, short: string): Promise<LogLine[]> {
  const result = await docker(['logs', '-t', cluster.container(short)]);
  if (result.code !== 0) throw new Error(`docker logs -t ${cluster.container(short)} failed: ${result.stderr.trim()}`);
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => {
      const space = line.indexOf(' ');
      return { atMs: Date.parse(line.slice(0, space)), text: line.slice(space + 1) };
    })
    .filter((l) => Number.isFinite(l.atMs))
    .sort((a, b) => a.atMs - b.atMs);
}

/**
 * Writes `lines` to `<outDir>/logs/<name>`, each with Docker's time in ISO
 * form: ha's whole log of a run, for a later look at an odd figure (git
 * ignores *.log). Resolves to the path written.
 */
export async function keepLog(outDir: string, name: string, lines: readonly LogLine[]): Promise<string> {
  const dir = join(outDir, 'logs');
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, lines.map((l) => `${new Date(l.atMs).toISOString()} ${l.text}\n`).join(''));
  return path;
}
