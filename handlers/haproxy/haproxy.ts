// The one module that changes HAProxy. Given the config a run rendered and
// the live one, it decides between the runtime API (only servers or routes
// changed) and a checked reload (anything else), and does it: the admin
// socket, the check, the reload-owed mark and the reload are its alone.
import { checkService } from '../members/tags.ts';
import type { Log } from '../os/log.ts';
import type { RunCommand } from '../os/run-command.ts';
import type { LiveRouting } from '../pool/services.ts';
import { type AdminCommand, adminSocket, AdminSocketUnavailable } from './admin-socket.ts';
import { BackendDrains, Drains, exclusive, type Exclusive } from './drains.ts';
import { installConfig, type InstallResult, readIfExists } from './install-config.ts';
import { reloadHaproxy, ReloadOwed } from './reload.ts';
import { parseRoutesFile, routesFile, routesMapPath, type RouteTable, writeRoutesFile } from './routes-map.ts';
import { type Removal, RuntimeCommandError } from './runtime-commands.ts';
import { RuntimeStateError } from './runtime-state.ts';
import { syncRuntime, type RuntimeCounts } from './runtime-sync.ts';
import { backendChecks, backendNames, configSkeleton, serverLines } from './server-lines.ts';

export interface HaproxySettings {
  config: string;
  checkCmd: string;
  reloadCmd: string;
  stateFile: string;
  adminSocket?: string;
  reloadStrategy: 'seamless' | 'restart';
  /** The service a request no route matches goes to; `none`: a 404. */
  backend: string;
  drainMs: number;
}

/** What a run did to HAProxy; the counts are what the runtime API changed. */
export interface HaproxyChange extends RuntimeCounts {
  config: InstallResult;
  /** `applied`: through the runtime API; `fallback`: it could not (`reason` says why), reloaded instead; `off`: not in use. */
  runtime: 'applied' | 'fallback' | 'off';
  reason?: string;
  reloaded: boolean;
}

type RuntimeResult =
  | { applied: RuntimeCounts }
  | { runtime: 'fallback' | 'off'; reason?: string }
  /** No HAProxy answers on its socket: it is starting, or s6 is starting it again, on the file. */
  | { runtime: 'off'; reason: string; notRunning: true };

// HAProxy's CLI splits commands on ';' and reads '\' as an escape: an
// argument holding either could change what a command does. Words hold no
// white space (they are split on it), so one test per line covers them all.
const CLI_UNSAFE = /[;\\]/;

export class Haproxy {
  readonly drains: BackendDrains | undefined;
  /** The routes map file the template names. */
  readonly routesMap: string;
  private readonly owed: ReloadOwed;
  private readonly admin: AdminCommand | undefined;
  private readonly alone: Exclusive = exclusive();

  constructor(
    private readonly settings: HaproxySettings,
    private readonly run: RunCommand,
    private readonly log: Log,
    givenAdmin?: AdminCommand,
  ) {
    const admin = givenAdmin ?? (settings.adminSocket === undefined ? undefined : adminSocket(settings.adminSocket));
    this.admin = admin;
    this.owed = new ReloadOwed(`${settings.config}.reload-owed`);
    this.routesMap = routesMapPath(settings.config);
    if (admin && settings.reloadStrategy === 'seamless') this.drains = new BackendDrains((backend) => new Drains(admin, backend, settings.drainMs, this.alone, log));
  }

  /** `undefined` when requests no route matches get a 404. */
  get defaultService(): string | undefined {
    return this.settings.backend === 'none' ? undefined : checkService('LB_DEFAULT_SERVICE', this.settings.backend);
  }

  /** The backends of the live config and the routes of the live map: what a kept service and a route's holder are read from. */
  async liveRouting(): Promise<LiveRouting & { config: string | undefined }> {
    const config = await readIfExists(this.settings.config);
    const routes = parseRoutesFile((await readIfExists(this.routesMap)) ?? '');
    return { config, backends: config === undefined ? new Map() : backendChecks(config), routes };
  }

  private writeRoutes(routes: RouteTable | undefined): Promise<boolean> {
    return routes === undefined ? Promise.resolve(false) : writeRoutesFile(this.routesMap, routes);
  }

  /** HAProxy is about to start on this very file (its run script renders first): checked, and nothing is owed. */
  async starting(rendered: string, routes?: RouteTable): Promise<InstallResult> {
    await this.writeRoutes(routes);
    const config = await installConfig(this.settings.config, rendered, await readIfExists(this.settings.config), this.settings.checkCmd, this.run);
    await this.owed.clear();
    return config;
  }

  /** Makes the running HAProxy, then the live file, what `rendered` says; `removals` says how each leaver goes (default drain). */
  async bringTo(rendered: string, removals: ReadonlyMap<string, Removal> = new Map(), routes?: RouteTable): Promise<HaproxyChange> {
    const { settings } = this;
    const live = await readIfExists(settings.config);
    // The running HAProxy first (that is where traffic waits), then the files follow.
    const runtime = await this.viaRuntime(rendered, live, removals, routes);
    if ('applied' in runtime) {
      await this.writeRoutes(routes);
      // HAProxy just accepted these server lines, and the rest is the file already checked.
      const config = await installConfig(settings.config, rendered, live, null, this.run);
      // A reload that failed before is still owed.
      const reloaded = (await this.owed.isSet()) && (await this.reload(), true);
      return { config, runtime: 'applied', ...runtime.applied, reloaded };
    }
    if (runtime.runtime === 'fallback') {
      this.log('warn', 'runtime API not used, reloading instead', { reason: runtime.reason });
      // The file stays, but the running HAProxy is not what it says (a backend it lacks, a refused command): a reload is owed.
      if (live === rendered) await this.owed.mark();
    }
    // Before the check, which loads the map the candidate names; a HAProxy that runs reads it only when it reloads.
    if (await this.writeRoutes(routes)) await this.owed.mark();
    const config = await installConfig(settings.config, rendered, live, settings.checkCmd, this.run, () => this.owed.mark());
    // A HAProxy that is not running reads the file when it starts (its run script renders first, which clears the debt).
    const reloaded = !('notRunning' in runtime) && (config === 'installed' || (await this.owed.isSet())) && (await this.reload(), true);
    return { config, runtime: runtime.runtime, reason: runtime.reason, added: 0, removed: 0, reweighted: 0, routes: 0, reloaded };
  }

  private async reload(): Promise<void> {
    await reloadHaproxy(this.settings, this.owed, this.run, this.admin);
    this.drains?.forgetAll();
  }

  private async viaRuntime(rendered: string, live: string | undefined, removals: ReadonlyMap<string, Removal>, routes: RouteTable | undefined): Promise<RuntimeResult> {
    const { admin, drains } = this;
    // HAProxy's run script renders before it starts HAProxy: with no file yet, no HAProxy of ours runs.
    if (live === undefined) return this.admin ? { runtime: 'off', reason: 'no installed config yet', notRunning: true } : { runtime: 'off', reason: 'no installed config yet' };
    if (!admin || !drains) return { runtime: 'off' };
    if (configSkeleton(rendered) !== configSkeleton(live)) return { runtime: 'fallback', reason: 'the config changed outside its server lines' };
    const lines = backendNames(rendered).flatMap((backend) => [...serverLines(rendered, backend).values()]);
    const unsafe = lines.find((line) => CLI_UNSAFE.test(`${line.name} ${line.hostport} ${line.args.join(' ')}`));
    if (unsafe) return { runtime: 'fallback', reason: `server ${unsafe.name}'s line has a character the runtime API would misread` };
    // A template that names no routes map has none to keep in step; routes the
    // map file already holds are the running ones (the file follows HAProxy).
    const unchanged = routes === undefined || !rendered.includes(this.routesMap) || (await readIfExists(this.routesMap)) === routesFile(routes);
    const mapRoutes = unchanged ? undefined : { file: this.routesMap, table: routes };
    try {
      return { applied: await this.alone(() => syncRuntime(admin, drains, { rendered, live }, mapRoutes, removals, this.log)) };
    } catch (error) {
      if (error instanceof AdminSocketUnavailable) return { runtime: 'off', reason: error.message, notRunning: true };
      if (error instanceof RuntimeCommandError || error instanceof RuntimeStateError) return { runtime: 'fallback', reason: `runtime API refused: ${error.message}` };
      throw error;
    }
  }
}
