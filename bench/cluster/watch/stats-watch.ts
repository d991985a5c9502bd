import { setTimeout as sleep } from 'node:timers/promises';
import type { HaPorts } from '../../../harness/docker/cluster.ts';
import { statsStatus } from '../../../harness/observe/cluster-state.ts';
import { StateHistory } from './state-history.ts';


/** A time a server was not UP on the stats page while it was still in the config. */
export interface DownSpell {
  server: string;
  fromMs: number;
  /** Undefined if it was still down at the last poll. */
  toMs: number | undefined;
  status: string;
}

/** Server → status of the webapps backend on HAProxy's stats page, polled over 127.0.0.1 (every 100 ms by default). */
export class StatsWatch {
  readonly history = new StateHistory<Readonly<Record<string, string>>>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(ports: HaPorts, private readonly pollMs = 100) {
    this.loop = this.poll(ports);
  }

  private async poll(ports: HaPorts): Promise<void> {
    while (this.running) {
      const askedAt = Date.now();
      // A refused poll during a lab-style reload is no state at all, not "everything is down".
      const status = await statsStatus(ports).catch(() => undefined);
      if (status !== undefined) this.history.add(status, askedAt);
      await sleep(Math.max(0, this.pollMs - (Date.now() - askedAt)));
    }
  }

  /** Epoch ms when `name` was first DOWN (or already gone) on the stats page at or after `sinceMs`. */
  down(name: string, sinceMs: number, timeoutMs = 60_000): Promise<number> {
    const isDown = (status: Readonly<Record<string, string>>): boolean => status[name] === undefined || status[name].startsWith('DOWN');
    return this.history.until(`${name} DOWN in the stats`, isDown, sinceMs, timeoutMs);
  }

  /** Every spell of a server listed but not UP (DOWN, MAINT, going up), oldest first. */
  downSpells(): DownSpell[] {
    const spells: DownSpell[] = [];
    const open = new Map<string, DownSpell>();
    for (const { atMs, state } of this.history.samples) {
      for (const [server, status] of Object.entries(state)) {
        const up = status.startsWith('UP') || status === 'no check';
        const spell = open.get(server);
        if (!up && !spell) {
          const started = { server, fromMs: atMs, toMs: undefined, status };
          open.set(server, started);
          spells.push(started);
        } else if (up && spell) {
          spell.toMs = atMs;
          open.delete(server);
        }
      }
    }
    return spells;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
