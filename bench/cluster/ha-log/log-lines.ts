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
