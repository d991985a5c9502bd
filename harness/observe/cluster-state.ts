import { request } from 'node:http';
import type { Cluster, HaPorts } from '../docker/cluster.ts';
import { waitFor } from '../docker/wait-for.ts';

/** Whatever runs a command in an ha container: a Cluster, or a Swarm stack's task on a node. */
export type ContainerExec = Pick<Cluster, 'exec'>;

/** Backends in the nodes directory of the ha container. */
export async function nodeFiles(cluster: ContainerExec, ha = 'ha'): Promise<string[]> {
  const listing = await cluster.exec(ha, ['ls', '-1', '/nodes']);
  return listing.split('\n').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

export async function liveConfig(cluster: ContainerExec, ha = 'ha'): Promise<string> {
  return cluster.exec(ha, ['cat', '/usr/local/etc/haproxy/haproxy.cfg']);
}

/** The `server` lines of the live haproxy.cfg, as name → address:port. */
export async function configServers(cluster: ContainerExec, ha = 'ha'): Promise<Record<string, string>> {
  const servers: Record<string, string> = {};
  for (const match of (await liveConfig(cluster, ha)).matchAll(/^\s*server\s+(\S+)\s+(\S+)/gm)) servers[match[1]!] = match[2]!;
  return servers;
}

/** GET on a published port, always 127.0.0.1; a new connection each time. */
export function get(port: number, path = '/', host?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5000, ...(host ? { headers: { host } } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Server name → status (UP, DOWN, MAINT…) in the webapps backend, from the stats page's CSV. */
export async function statsStatus(ports: HaPorts): Promise<Record<string, string>> {
  const { body } = await get(ports.stats, '/;csv');
  const [header, ...rows] = body.trim().split('\n');
  const columns = header!.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const status: Record<string, string> = {};
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[at('pxname')] !== 'webapps' || ['BACKEND', 'FRONTEND'].includes(cells[at('svname')]!)) continue;
    status[cells[at('svname')]!] = cells[at('status')]!;
  }
  return status;
}

export interface SerfMember {
  name: string;
  status: string;
  tags: Record<string, string>;
}

/** What `serf members -format json` prints, however it was run. */
export function parseSerfMembers(json: string): SerfMember[] {
  return (JSON.parse(json) as { members: SerfMember[] }).members;
}

/** Names of the alive members of the backend role, sorted. */
export function aliveBackendNames(members: readonly SerfMember[]): string[] {
  return members.filter((m) => m.status === 'alive' && m.tags.role === 'backend').map((m) => m.name).sort();
}

export async function serfMembers(cluster: ContainerExec, ha = 'ha'): Promise<SerfMember[]> {
  return parseSerfMembers(await cluster.exec(ha, ['serf', 'members', '-format', 'json']));
}

export async function aliveBackends(cluster: ContainerExec, ha = 'ha'): Promise<string[]> {
  return aliveBackendNames(await serfMembers(cluster, ha));
}

/** The `x-backend` values seen over `count` requests through HAProxy. */
export async function backendsSeen(ports: HaPorts, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const res = await get(ports.http);
    const name = res.status === 200 ? String(res.headers['x-backend']) : `status-${res.status}`;
    seen[name] = (seen[name] ?? 0) + 1;
  }
  return seen;
}

export interface ClusterView {
  nodes: string[];
  servers: string[];
  up: string[];
  serf: string[];
}

export async function view(cluster: ContainerExec, ports: HaPorts, ha = 'ha'): Promise<ClusterView> {
  const status = await statsStatus(ports);
  return {
    nodes: await nodeFiles(cluster, ha),
    servers: Object.keys(await configServers(cluster, ha)).sort(),
    up: Object.keys(status).filter((s) => status[s]!.startsWith('UP')).sort(),
    serf: await aliveBackends(cluster, ha),
  };
}

/**
 * Waits until every view of the cluster names exactly `expected`: the nodes
 * directory, haproxy.cfg's server lines, the servers UP in the stats and
 * Serf's alive backends. Returns the view for the caller to assert on.
 */
export async function waitConverged(cluster: ContainerExec, ports: HaPorts, expected: string[], timeoutMs = 60_000, ha = 'ha'): Promise<ClusterView> {
  const want = JSON.stringify([...expected].sort());
  return waitFor(
    `nodes, config, stats and serf to list exactly ${want}`,
    () => view(cluster, ports, ha),
    (v) => [v.nodes, v.servers, v.up, v.serf].every((list) => JSON.stringify(list) === want),
    timeoutMs,
  );
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  rssKb: number;
  uid: number;
}

/** Processes named `name` in a container, from /proc (the images carry no ps). */
export async function processes(cluster: Cluster, short: string, name: string): Promise<ProcessInfo[]> {
  const script = `for s in /proc/[0-9]*/status; do grep -qx "Name:	${name}" "$s" 2>/dev/null && grep -E '^(Pid|PPid|VmRSS|Uid):' "$s" | tr '\\n' ' ' && echo; done; true`;
  const out = await cluster.exec(short, ['sh', '-c', script]);
  return out.split('\n').filter(Boolean).map((line) => {
    const field = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(line)?.[1] ?? NaN);
    return { pid: field('Pid'), ppid: field('PPid'), rssKb: field('VmRSS'), uid: field('Uid') };
  });
}

/** HAProxy's workers: every haproxy process but the master, which s6-supervise started. */
export async function haproxyWorkers(cluster: Cluster, ha = 'ha'): Promise<ProcessInfo[]> {
  const all = await processes(cluster, ha, 'haproxy');
  const pids = new Set(all.map((p) => p.pid));
  return all.filter((p) => pids.has(p.ppid));
}

/** Reloads HAProxy's master has completed so far (it logs one `Loading success` each). */
export async function reloadsLogged(cluster: Cluster, ha = 'ha'): Promise<number> {
  return (await cluster.logs(ha)).split('Loading success').length - 1;
}

/**
 * One command to HAProxy's admin socket inside the ha container (the image
 * has Node but no socat): what an operator's `echo cmd | socat` would do.
 */
export async function haproxyCommand(cluster: ContainerExec, command: string, ha = 'ha'): Promise<string> {
  const script = "const s=require('net').connect(process.env.HAPROXY_ADMIN_SOCKET);let o='';s.on('data',d=>o+=d);s.on('end',()=>process.stdout.write(o));s.end(process.argv[1]+'\\n')";
  return cluster.exec(ha, ['node', '-e', script, command]);
}
