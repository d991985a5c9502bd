import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Cluster } from '../../../harness/docker/cluster.ts';
import { StateHistory } from './state-history.ts';

// One long `docker exec` instead of one per poll: a poll every 50 ms costs
// the ha container a `sleep` and nothing else (read is a shell builtin), and
// the timestamp is taken inside the container, not after a docker round trip.
const WATCH_SCRIPT = `
cfg="\${HAPROXY_CONFIG:-/usr/local/etc/haproxy/haproxy.cfg}"
last=unset
while :; do
  now=
  while read -r keyword name rest; do [ "$keyword" = server ] && now="$now $name"; done <"$cfg"
  if [ "$now" != "$last" ]; then echo "$(date +%s%3N)$now"; last=$now; fi
  sleep 0.05
done`;

/** The `server` names of the live haproxy.cfg over time, seen every 50 ms. */
export class ConfigWatch {
  readonly history = new StateHistory<ReadonlySet<string>>();
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(cluster: Cluster, ha = 'ha'): Promise<ConfigWatch> {
    const child = spawn('docker', ['exec', cluster.container(ha), 'sh', '-c', WATCH_SCRIPT], { stdio: ['ignore', 'pipe', 'ignore'] });
    const watch = new ConfigWatch(child);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [at, ...names] = line.trim().split(/\s+/);
      watch.history.add(new Set(names), Number(at));
    });
    await watch.history.until('the first reading of haproxy.cfg', () => true, 0, 10_000);
    return watch;
  }

  /** Epoch ms when `name` was first in haproxy.cfg at or after `sinceMs`. */
  added(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    return this.history.until(`${name} in haproxy.cfg`, (servers) => servers.has(name), sinceMs, timeoutMs);
  }

  /** Epoch ms when `name` was first gone from haproxy.cfg at or after `sinceMs`. */
  removed(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    return this.history.until(`${name} out of haproxy.cfg`, (servers) => !servers.has(name), sinceMs, timeoutMs);
  }

  /** Epoch ms when haproxy.cfg's servers were exactly `names`, at or after `sinceMs`. */
  exactly(names: readonly string[], sinceMs: number, timeoutMs = 60_000): Promise<number> {
    const want = new Set(names);
    const same = (servers: ReadonlySet<string>): boolean => servers.size === want.size && [...want].every((n) => servers.has(n));
    return this.history.until(`exactly ${names.length} servers in haproxy.cfg`, same, sinceMs, timeoutMs);
  }

  stop(): void {
    this.child.kill();
  }
}
