import { readFile } from 'node:fs/promises';
import type { Cluster } from '../../../harness/docker/cluster.ts';
import { dockerOk } from '../../../harness/docker/docker.ts';
import { serverLines } from '../../../handlers/haproxy/server-lines.ts';
import { StateHistory } from './state-history.ts';

const POLL_MS = 50;

// Read from this host through the container's root as its init process sees
// it (/proc/<pid>/root: the engine is local and this runs as root), not by a
// loop inside the container: a shell reading haproxy.cfg line by line every
// 50 ms cost the ha container 0.14 CPU-s per second at 50 servers, CPU the
// dns mode, which has no file to watch, did not pay.
async function configPath(cluster: Cluster, ha: string): Promise<string> {
  const [pid, env] = (await dockerOk(['inspect', '-f', '{{.State.Pid}}\t{{json .Config.Env}}', cluster.container(ha)])).trim().split('\t');
  const config = (JSON.parse(env!) as string[]).find((e) => e.startsWith('HAPROXY_CONFIG='))?.slice('HAPROXY_CONFIG='.length);
  if (!config) throw new Error(`${cluster.container(ha)} has no HAPROXY_CONFIG in its environment`);
  return `/proc/${pid}/root${config}`;
}

const sameNames = (servers: ReadonlySet<string>, names: readonly string[]): boolean => servers.size === names.length && names.every((n) => servers.has(n));

/** The `server` names of the live haproxy.cfg over time, seen every 50 ms. */
export class ConfigWatch {
  readonly history = new StateHistory<ReadonlySet<string>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(private readonly path: string) {}

  static async start(cluster: Cluster, ha = 'ha'): Promise<ConfigWatch> {
    return ConfigWatch.watchFile(await configPath(cluster, ha));
  }

  /** Watches a haproxy.cfg at `path`; resolves once it has been read. */
  static async watchFile(path: string): Promise<ConfigWatch> {
    const watch = new ConfigWatch(path);
    await watch.poll();
    await watch.history.until('the first reading of haproxy.cfg', () => true, 0, 10_000);
    return watch;
  }

  private async poll(): Promise<void> {
    const at = Date.now();
    // A handler installs the file by rename: a read sees the old one or the new one, whole.
    // A failed read (the container going away) is no reading, not an empty config.
    const config = await readFile(this.path, 'utf8').catch(() => undefined);
    if (this.stopped) return;
    if (config !== undefined) {
      const names = [...serverLines(config, 'webapps').keys()];
      const last = this.history.samples.at(-1)?.state;
      if (last === undefined || !sameNames(last, names)) this.history.add(new Set(names), at);
    }
    this.timer = setTimeout(() => void this.poll(), Math.max(0, POLL_MS - (Date.now() - at)));
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
    const want = [...new Set(names)];
    return this.history.until(`exactly ${names.length} servers in haproxy.cfg`, (servers) => sameNames(servers, want), sinceMs, timeoutMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
