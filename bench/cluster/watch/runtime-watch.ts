import { setTimeout as sleep } from 'node:timers/promises';
import type { HaPorts } from '../../../harness/docker/cluster.ts';
import { get } from '../../../harness/observe/cluster-state.ts';
import { StateHistory } from './state-history.ts';
import { hostOf, serverRows, type ServerRow } from './stats-rows.ts';

const isUp = (row: ServerRow): boolean => row.status.startsWith('UP') || row.status === 'no check';

/**
 * The servers of the running HAProxy, from its stats CSV every 100 ms: the
 * one view every mode shares (the dns mode has no haproxy.cfg to watch).
 * Our handlers name a server after its backend; HAProxy's DNS slots
 * (web1..web60) are told apart by address, so there a backend is known by
 * its container's IP, given with identify() once `docker run` returned.
 */
export class RuntimeWatch {
  readonly history = new StateHistory<readonly ServerRow[]>();
  private readonly addresses = new Map<string, string>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(ports: HaPorts, private readonly byAddress: boolean, private readonly pollMs = 100) {
    this.loop = this.poll(ports);
  }

  private async poll(ports: HaPorts): Promise<void> {
    while (this.running) {
      const askedAt = Date.now();
      // A refused poll during a lab-style reload is no state at all, not "every server is gone".
      const rows = await get(ports.stats, '/;csv').then((r) => (r.status === 200 ? serverRows(r.body) : undefined), () => undefined);
      if (rows !== undefined) this.history.add(rows, askedAt);
      await sleep(Math.max(0, this.pollMs - (Date.now() - askedAt)));
    }
  }

  /** The container's IP on the cluster's network, which names it in the dns mode. */
  identify(name: string, ip: string): void {
    this.addresses.set(name, ip);
  }

  /** The backend `name`'s rows: one for ours, any slot holding its address for DNS discovery. */
  rowsOf(rows: readonly ServerRow[], name: string): ServerRow[] {
    if (!this.byAddress) return rows.filter((r) => r.server === name);
    const ip = this.addresses.get(name);
    return ip === undefined ? [] : rows.filter((r) => hostOf(r.address) === ip);
  }

  /** The backends UP now, by name; a DNS slot UP at an address no backend of this run has is `?<address>`. */
  upNames(rows: readonly ServerRow[]): string[] {
    if (!this.byAddress) return rows.filter(isUp).map((r) => r.server).sort();
    const byIp = new Map([...this.addresses].map(([name, ip]) => [ip, name]));
    return rows.filter(isUp).map((r) => byIp.get(hostOf(r.address)) ?? `?${r.address}`).sort();
  }

  /** Epoch ms when `name` was first UP in the runtime at or after `sinceMs`. */
  up(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    return this.history.until(`${name} UP in the runtime`, (rows) => this.rowsOf(rows, name).some(isUp), sinceMs, timeoutMs);
  }

  /** Epoch ms when no row of `name` was UP any more (DOWN, draining, in maintenance or gone). */
  down(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    return this.history.until(`${name} not UP in the runtime`, (rows) => !this.rowsOf(rows, name).some(isUp), sinceMs, timeoutMs);
  }

  /**
   * Epoch ms when `name` was out of the runtime: deleted (ours), or its slot
   * put in maintenance or given up (DNS discovery, once the name no longer
   * resolves to it). A health check's DOWN is not out: HAProxy keeps checking.
   */
  out(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    return this.history.until(`${name} out of the runtime`, (rows) => this.rowsOf(rows, name).every((r) => r.status.startsWith('MAINT')), sinceMs, timeoutMs);
  }

  /** Epoch ms when exactly `names` were UP, no more, no fewer. */
  exactly(names: readonly string[], sinceMs: number, timeoutMs = 60_000): Promise<number> {
    const want = JSON.stringify([...names].sort());
    const up = (rows: readonly ServerRow[]) => JSON.stringify(this.upNames(rows));
    return this.history.until(`exactly ${names.length} backends UP in the runtime`, (rows) => up(rows) === want, sinceMs, timeoutMs, (rows) => `UP: ${up(rows)}`);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
