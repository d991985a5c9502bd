import type { Cluster, HaPorts } from '../../../harness/docker/cluster.ts';
import { startLoad, type LoadReport, type LoadRun } from '../../../harness/load/load-generator.ts';
import type { ConfigWatch } from '../watch/config-watch.ts';
import { FirstResponses } from './first-response.ts';
import { loadOptions, type LoadShape } from './load-shape.ts';
import type { Mode } from './options.ts';
import { Timeline, type EventKind } from './timeline.ts';

/**
 * One scenario in one mode: the cluster, its load, and a record of every
 * docker command the scenario sent, timed from just before the command.
 */
export class BenchRun {
  readonly timeline = new Timeline();
  private load: LoadRun | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly firstResponses = new FirstResponses(() => this.snapshot(), () => this.timeline.origin);

  constructor(
    readonly cluster: Cluster,
    readonly ports: HaPorts,
    readonly mode: Mode,
    readonly shape: LoadShape,
    readonly config: ConfigWatch,
    private readonly tag: string,
  ) {}

  log(message: string): void {
    const at = this.timeline.started ? `t=${(this.timeline.relative(Date.now()) / 1000).toFixed(1)}s ` : '';
    console.log(`[${this.tag}] ${at}${message}`);
  }

  startLoad(): LoadRun {
    if (this.load) throw new Error('Expected one load per run, got a second startLoad()');
    this.timeline.setOrigin(Date.now());
    this.load = startLoad(loadOptions(this.ports.http, this.shape));
    return this.load;
  }

  /** The load so far, or undefined before it started. */
  snapshot(): LoadReport | undefined {
    return this.load?.snapshot();
  }

  /** Epoch ms of the first ok response from `name` through HAProxy (its `x-backend`); rejects after timeoutMs. */
  firstResponse(name: string, timeoutMs: number): Promise<number> {
    return this.firstResponses.of(name, timeoutMs);
  }

  async stopLoad(): Promise<LoadReport | undefined> {
    return this.load?.stop();
  }

  /** `docker run` of a webapp; resolves to the epoch ms just before the command. */
  startWebapp(name: string): Promise<number> {
    return this.command('run', `run ${name}`, () => this.cluster.startWebapp(name));
  }

  stop(name: string): Promise<number> {
    return this.command('stop', `stop ${name}`, () => this.cluster.stop(name));
  }

  kill(name: string): Promise<number> {
    return this.command('kill', `kill ${name}`, () => this.cluster.kill(name));
  }

  /** Marks a labelled moment that is not a docker command (the reload storm). */
  mark(kind: EventKind, label: string, atEpochMs = Date.now()): void {
    this.timeline.mark(kind, label, atEpochMs);
  }

  /** Waits for every docker command already sent, so cleanup comes after the last of them. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async command(kind: EventKind, label: string, send: () => Promise<void>): Promise<number> {
    const startedAt = Date.now();
    this.timeline.mark(kind, label, startedAt);
    const sent = send();
    this.pending.add(sent);
    try {
      await sent;
    } finally {
      this.pending.delete(sent);
    }
    return startedAt;
  }
}
