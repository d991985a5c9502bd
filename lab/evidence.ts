// What the lab's report showed, collected from the running containers with
// the commands a student would type (docker ps, docker logs, serf members...).
import { execFile } from 'node:child_process';
import type { Cluster } from '../harness/docker/cluster.ts';
import { dockerOk } from '../harness/docker/docker.ts';
import { liveConfig } from '../harness/observe/cluster-state.ts';

export const haproxyConfig = (cluster: Cluster): Promise<string> => liveConfig(cluster);

/** `ls -l /nodes`, then every node file's JSON, as ha holds them. */
export function nodesListing(cluster: Cluster): Promise<string> {
  const script = 'ls -l /nodes; for f in /nodes/*.json; do [ -e "$f" ] && printf "\\n%s\\n" "$f" && cat "$f"; done; true';
  return cluster.exec('ha', ['sh', '-c', script]);
}

/** `docker ps` of this lab's running containers only, never anything else on the engine. */
export function dockerPs(cluster: Cluster): Promise<string> {
  return dockerOk(['ps', '--filter', `name=^${cluster.prefix}-`]);
}

export function dockerInspect(cluster: Cluster, short: string): Promise<string> {
  return dockerOk(['inspect', cluster.container(short)]);
}

/** `docker top`: the container's processes seen from the host, since the images carry no ps. Numeric uids: the host would put its own user names on them. */
export function dockerTop(cluster: Cluster, short: string): Promise<string> {
  return dockerOk(['top', cluster.container(short), '-o', 'pid,ppid,uid,args']);
}

/** `serf members` as ha's agent sees the cluster, in its own table format. */
export function serfMembers(cluster: Cluster): Promise<string> {
  return cluster.exec('ha', ['serf', 'members']);
}

/**
 * `docker logs -t` of a container, both streams through one pipe as a
 * terminal would show them: in the order the CLI got them.
 */
export function dockerLogs(cluster: Cluster, short: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const script = 'exec docker logs -t "$1" 2>&1';
    execFile('sh', ['-c', script, 'sh', cluster.container(short)], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, output) => {
      if (error) reject(new Error(`docker logs -t ${cluster.container(short)} failed: ${String(output).trim().split('\n').pop()}`, { cause: error }));
      else resolve(String(output));
    });
  });
}

/** The handlers' key=value lines out of ha's log, whatever component wrote them. */
export function handlerLines(haLog: string): string {
  return haLog.split('\n').filter((line) => line.includes('component=')).map((line) => `${line}\n`).join('');
}
