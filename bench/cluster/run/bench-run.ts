import type { Cluster, HaPorts, StartOptions } from '../../../harness/docker/cluster.ts';
import type { LoadReport, LoadRoute } from '../../../harness/load/load-generator.ts';
import { startLoadThread, type ThreadedLoad } from '../../../harness/load/load-thread.ts';
import { waitConverged } from '../../../harness/observe/cluster-state.ts';
import type { ConfigWatch } from '../watch/config-watch.ts';
import type { RuntimeWatch } from '../watch/runtime-watch.ts';
import { containerStart, type ContainerStart } from './container-start.ts';
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
  private load: ThreadedLoad | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly firstResponses = new FirstResponses(() => this.load?.firstSeen(), () => this.timeline.origin);
  private readonly starts = new Map<string, Promise<ContainerStart>>();

  /** `config` watches haproxy.cfg, which the dns mode does not have. */
  constructor(
    readonly cluster: Cluster,
    readonly ports: HaPorts,
    readonly mode: Mode,
    readonly shape: LoadShape,
    readonly config: ConfigWatch | undefined,
    readonly runtime: RuntimeWatch,
    private readonly tag: string,
  ) {}

  log(message: string): void {
    const at = this.timeline.started ? `t=${(this.timeline.relative(Date.now()) / 1000).toFixed(1)}s ` : '';
    console.log(`[${this.tag}] ${at}${message}`);
  }

  /**
   * Starts the load on its own thread (see load-thread.ts); resolves once it
   * runs, the timeline's origin set to its start. With `routes`, requests take
   * each Host header and path in turn (several services); without, GET /.
   */
  async startLoad(routes?: LoadRoute[]): Promise<void> {
    if (this.load) throw new Error('Expected one load per run, got a second startLoad()');
    this.load = startLoadThread({ ...loadOptions(this.ports.http, this.shape), ...(routes ? { routes } : {}) });
    this.timeline.setOrigin(await this.load.started);
  }

  /** The load thread's scheduling priority and CPU group, or undefined before the load started. */
  async loadPriority(): Promise<string | undefined> {
    if (!this.load) return undefined;
    // The group's path names this process: the same run twice would read differently.
    const group = (await this.load.cpuGroup()).replace(/^cpu group \S+/, 'a cpu group of its own');
    return `${await this.load.priority()}, in ${group}`;
  }

  /** Epoch ms of the first ok response from `name` through HAProxy (its `x-backend`); rejects after timeoutMs. */
  firstResponse(name: string, timeoutMs: number): Promise<number> {
    return this.firstResponses.of(name, timeoutMs);
  }

  async stopLoad(): Promise<LoadReport | undefined> {
    return this.load?.stop();
  }

  /**
   * `docker run` of a webapp; resolves to the epoch ms just before the
   * command, once it returned. Its State.StartedAt and IP are read then, in
   * the background (started() gives them).
   */
  async startWebapp(name: string, options: StartOptions = {}): Promise<number> {
    const runAt = await this.command('run', `run ${name}`, () => this.cluster.startWebapp(name, options));
    const start = containerStart(this.cluster, name);
    this.starts.set(name, start);
    start.then((s) => this.runtime.identify(name, s.ip), () => {});
    return runAt;
  }

  /** When `name`'s container started and its IP; rejects if it was not started by startWebapp(). */
  started(name: string): Promise<ContainerStart> {
    return this.starts.get(name) ?? Promise.reject(new Error(`Expected ${name} to have been started by the bench`));
  }

  /**
   * Until the cluster serves exactly `names`: with Serf, every view agrees
   * (nodes, haproxy.cfg, stats, members); in the dns mode, the runtime has
   * exactly them UP.
   */
  async converged(names: readonly string[], timeoutMs = 60_000): Promise<void> {
    if (this.mode === 'dns') {
      await Promise.all(names.map((n) => this.started(n)));
      await this.runtime.exactly(names, Date.now(), timeoutMs);
    } else {
      await waitConverged(this.cluster, this.ports, [...names], timeoutMs);
    }
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
