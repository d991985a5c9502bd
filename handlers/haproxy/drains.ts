import { setTimeout as sleep } from 'node:timers/promises';
import type { Log } from '../os/log.ts';
import type { AdminCommand } from './admin-socket.ts';
import { connectionsInUse, deleteServer, type Removal, setState } from './runtime-commands.ts';

/** Runs `work` alone among the callers of the same Exclusive: the drain's deletes never interleave with a run's changes. */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export function exclusive(): Exclusive {
  let last: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = last.then(work, work);
    last = next.catch(() => {});
    return next;
  };
}

/**
 * Servers on their way out of the running HAProxy. A leaver gets no new
 * request at once; it is deleted when it has no connection left, or when
 * `drainMs` has passed (its sessions are then cut). The wait happens here,
 * beside the runs, never inside one: a join must not queue behind another
 * server's drain. A run that wants a leaver back takes it out of here first.
 */
export class Drains {
  private readonly deadlines = new Map<string, number>();
  private watching: Promise<void> | undefined;

  constructor(
    private readonly admin: AdminCommand,
    private readonly backend: string,
    private readonly drainMs: number,
    private readonly alone: Exclusive,
    private readonly log: Log,
    private readonly pollMs = 50,
  ) {}

  /** Names still draining: not to be removed again, and to be made ready if wanted again. */
  get leaving(): ReadonlySet<string> {
    return new Set(this.deadlines.keys());
  }

  async start(names: readonly string[], removal: Removal): Promise<void> {
    if (names.length === 0) return;
    await setState(this.admin, this.backend, names, removal);
    for (const name of names) this.deadlines.set(name, Date.now() + this.drainMs);
    this.watching ??= this.watch().finally(() => (this.watching = undefined));
  }

  cancel(names: readonly string[]): void {
    for (const name of names) this.deadlines.delete(name);
  }

  /** A reload started a worker that never had the leavers: the old one finishes their sessions (hard-stop-after). */
  forgetAll(): void {
    this.deadlines.clear();
  }

  /** Resolves once every leaver is deleted (a run that exits when done waits for it). */
  async settled(): Promise<void> {
    while (this.watching) await this.watching;
  }

  private async watch(): Promise<void> {
    try {
      while (this.deadlines.size > 0) {
        const inUse = await connectionsInUse(this.admin, this.backend);
        for (const [name, deadline] of this.deadlines) {
          const busy = inUse.get(name) ?? 0;
          if (busy > 0 && Date.now() < deadline) continue;
          await this.alone(async () => {
            // A run may have wanted it back meanwhile.
            if (!this.deadlines.has(name)) return;
            await deleteServer(this.admin, this.backend, name);
            this.deadlines.delete(name);
            if (busy > 0) this.log('warn', 'drain ran out of time: sessions cut', { server: name, connections: busy, drain_ms: this.drainMs });
          });
        }
        if (this.deadlines.size > 0) await sleep(this.pollMs);
      }
    } catch (error) {
      // HAProxy restarted or refused: the next run finds what is left and removes it again.
      this.log('warn', 'drain given up; the next run removes what is left', { servers: [...this.deadlines.keys()].join(','), reason: (error as Error).message });
      this.deadlines.clear();
    }
  }
}

/** One Drains per backend (one per service), made when a backend first has a leaver. */
export class BackendDrains {
  private readonly byBackend = new Map<string, Drains>();

  constructor(private readonly make: (backend: string) => Drains) {}

  of(backend: string): Drains {
    let drains = this.byBackend.get(backend);
    if (!drains) this.byBackend.set(backend, (drains = this.make(backend)));
    return drains;
  }

  forgetAll(): void {
    for (const drains of this.byBackend.values()) drains.forgetAll();
  }

  async settled(): Promise<void> {
    for (const drains of this.byBackend.values()) await drains.settled();
  }
}
