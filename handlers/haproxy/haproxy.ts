// The one module that changes HAProxy. Given the config a run rendered and
// the live one, it decides between the runtime API (only servers changed)
// and a checked reload (anything else), and does it: the admin socket, the
// check, the reload-owed mark and the reload are its alone.
import type { Log } from '../os/log.ts';
import type { RunCommand } from '../os/run-command.ts';
import { type AdminCommand, adminSocket, AdminSocketUnavailable } from './admin-socket.ts';
import { Drains, exclusive, type Exclusive } from './drains.ts';
import { installConfig, type InstallResult, readIfExists } from './install-config.ts';
import { reloadHaproxy, ReloadOwed } from './reload.ts';
import { isEmpty, planRuntime, type RuntimeChanges } from './runtime-plan.ts';
import { addServer, deleteServer, type Removal, RuntimeCommandError, runningServers, setState, setWeights } from './runtime-commands.ts';
import { RuntimeStateError } from './runtime-state.ts';
import { configSkeleton, serverLines } from './server-lines.ts';

export interface HaproxySettings {
  config: string;
  checkCmd: string;
  reloadCmd: string;
  stateFile: string;
  adminSocket?: string;
  reloadStrategy: 'seamless' | 'restart';
  backend: string;
  drainMs: number;
}

/** What a run did to HAProxy. */
export interface HaproxyChange {
  config: InstallResult;
  /** `applied`: through the runtime API; `fallback`: it could not (`reason` says why), reloaded instead; `off`: not in use. */
  runtime: 'applied' | 'fallback' | 'off';
  reason?: string;
  added: number;
  removed: number;
  reweighted: number;
  reloaded: boolean;
}

type RuntimeResult =
  | { applied: Pick<HaproxyChange, 'added' | 'removed' | 'reweighted'> }
  | { runtime: 'fallback' | 'off'; reason?: string }
  /** No HAProxy answers on its socket: it is starting, or s6 is starting it again, on the file. */
  | { runtime: 'off'; reason: string; notRunning: true };

// HAProxy's CLI splits commands on ';' and reads '\' as an escape: an
// argument holding either could change what a command does. Words hold no
// white space (they are split on it), so one test per line covers them all.
const CLI_UNSAFE = /[;\\]/;

export class Haproxy {
  readonly drains: Drains | undefined;
  private readonly owed: ReloadOwed;
  private readonly admin: AdminCommand | undefined;
  private readonly alone: Exclusive = exclusive();

  constructor(
    private readonly settings: HaproxySettings,
    private readonly run: RunCommand,
    private readonly log: Log,
    admin?: AdminCommand,
  ) {
    this.admin = admin ?? (settings.adminSocket === undefined ? undefined : adminSocket(settings.adminSocket));
    this.owed = new ReloadOwed(`${settings.config}.reload-owed`);
    if (this.admin && settings.reloadStrategy === 'seamless') this.drains = new Drains(this.admin, settings.backend, settings.drainMs, this.alone, log);
  }

  /** HAProxy is about to start on this very file (its run script renders first): checked, and nothing is owed. */
  async starting(rendered: string): Promise<InstallResult> {
    const config = await installConfig(this.settings.config, rendered, await readIfExists(this.settings.config), this.settings.checkCmd, this.run);
    await this.owed.clear();
    return config;
  }

  /** Makes the running HAProxy, then the live file, what `rendered` says; `removals` says how each leaver goes (default drain). */
  async bringTo(rendered: string, removals: ReadonlyMap<string, Removal> = new Map()): Promise<HaproxyChange> {
    const { settings } = this;
    const live = await readIfExists(settings.config);
    // The running HAProxy first (that is where traffic waits), then the file follows.
    const runtime = await this.viaRuntime(rendered, live, removals);
    if ('applied' in runtime) {
      // HAProxy just accepted these server lines, and the rest is the file already checked.
      const config = await installConfig(settings.config, rendered, live, null, this.run);
      // A reload that failed before is still owed.
      const reloaded = (await this.owed.isSet()) && (await this.reload(), true);
      return { config, runtime: 'applied', ...runtime.applied, reloaded };
    }
    if (runtime.runtime === 'fallback') this.log('warn', 'runtime API not used, reloading instead', { reason: runtime.reason });
    const config = await installConfig(settings.config, rendered, live, settings.checkCmd, this.run, () => this.owed.mark());
    // A HAProxy that is not running reads the file when it starts (its run script renders first, which clears the debt).
    const reloaded = !('notRunning' in runtime) && (config === 'installed' || (await this.owed.isSet())) && (await this.reload(), true);
    return { config, runtime: runtime.runtime, reason: runtime.reason, added: 0, removed: 0, reweighted: 0, reloaded };
  }

  private async reload(): Promise<void> {
    await reloadHaproxy(this.settings, this.owed, this.run, this.admin);
    this.drains?.forgetAll();
  }

  private async viaRuntime(rendered: string, live: string | undefined, removals: ReadonlyMap<string, Removal>): Promise<RuntimeResult> {
    const { admin, drains } = this;
    // HAProxy's run script renders before it starts HAProxy: with no file yet, no HAProxy of ours runs.
    if (live === undefined) return this.admin ? { runtime: 'off', reason: 'no installed config yet', notRunning: true } : { runtime: 'off', reason: 'no installed config yet' };
    if (!admin || !drains) return { runtime: 'off' };
    if (configSkeleton(rendered) !== configSkeleton(live)) return { runtime: 'fallback', reason: 'the config changed outside its server lines' };
    const { backend } = this.settings;
    const wanted = serverLines(rendered, backend);
    for (const line of wanted.values()) {
      if (CLI_UNSAFE.test(`${line.name} ${line.hostport} ${line.args.join(' ')}`)) {
        return { runtime: 'fallback', reason: `server ${line.name}'s line has a character the runtime API would misread` };
      }
    }
    try {
      return await this.alone(async () => {
        const changes = planRuntime(wanted, serverLines(live, backend), await runningServers(admin, backend), drains.leaving);
        if (isEmpty(changes)) return { applied: { added: 0, removed: 0, reweighted: 0 } };
        // The file already said this: something changed HAProxy behind our back.
        if (live === rendered) this.log('warn', 'runtime drift repaired', { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length, readied: changes.ready.length });
        await this.apply(admin, drains, changes, removals);
        return { applied: { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length } };
      });
    } catch (error) {
      if (error instanceof AdminSocketUnavailable) return { runtime: 'off', reason: error.message, notRunning: true };
      if (error instanceof RuntimeCommandError || error instanceof RuntimeStateError) return { runtime: 'fallback', reason: `runtime API refused: ${error.message}` };
      throw error;
    }
  }

  private async apply(admin: AdminCommand, drains: Drains, changes: RuntimeChanges, removals: ReadonlyMap<string, Removal>): Promise<void> {
    const { backend } = this.settings;
    // New servers first: they are what a client waits for.
    for (const line of changes.add) await addServer(admin, backend, line);
    drains.cancel(changes.ready);
    await setState(admin, backend, changes.ready, 'ready');
    await setWeights(admin, backend, changes.reweight);
    for (const line of changes.replace) {
      drains.cancel([line.name]);
      await deleteServer(admin, backend, line.name);
      await addServer(admin, backend, line);
    }
    const failed = changes.remove.filter((name) => removals.get(name) === 'maint');
    await drains.start(failed, 'maint');
    await drains.start(changes.remove.filter((name) => !failed.includes(name)), 'drain');
  }
}
