import { readFile } from 'node:fs/promises';
import type { AdminCommand } from '../haproxy/admin-socket.ts';
import { changeRunningHaproxy, type RuntimeOutcome } from '../haproxy/change-haproxy.ts';
import { installConfig, type InstallResult, readIfExists } from '../haproxy/install-config.ts';
import { markReloadPending, tellHaproxy } from '../haproxy/reload-haproxy.ts';
import { renderConfig } from '../haproxy/render-config.ts';
import { withLock } from '../os/lock.ts';
import type { Log } from '../os/log.ts';
import type { AgentView } from '../members/serf-members.ts';
import type { LineSink } from '../os/stderr-lines.ts';
import type { RunCommand } from '../os/run-command.ts';
import { applyChanges, listFiles, readStore, saveStore } from '../pool/nodes-store.ts';
import { clearDebris } from '../pool/debris.ts';
import type { Server } from '../pool/server.ts';
import type { Verdict } from './decide-changes.ts';
import { EVENTS, type EventName, type EventPlan } from './events.ts';
import { readMembers } from './read-members.ts';

/** Paths, commands and choices of a run (the CLI fills them from argv and the environment). */
export interface Settings {
  nodesDir: string;
  template: string;
  config: string;
  checkCmd: string;
  reloadCmd: string;
  membersCmd: string;
  role: string;
  adminSocket: string;
  backend: string;
  templateCache: string;
  stateFile: string;
  /** Milliseconds, as digits: a leaving server's time to finish its requests. */
  drainMs: string;
  /** The warm reconcile's hand-over socket (see cli/hand-over.ts), or 'none'. */
  pipelineSocket: string;
  dryRun: boolean;
}

/** What a run may touch besides the files the options name; tests pass their own. */
export interface RunContext {
  options: Settings;
  /** HAProxy's runtime API; the CLI connects it to options.adminSocket. */
  admin: AdminCommand;
  eventText: () => Promise<string>;
  /** Where a dry run prints the config. */
  stdout: LineSink;
  run: RunCommand;
  /** The agent's members, where the CLI reads them over its RPC; else options.membersCmd is run. */
  members?: () => Promise<AgentView>;
  now: () => Date;
  log: Log;
}

export interface Outcome {
  verdict: Verdict;
  servers: number;
  storeChanges: number;
  config: InstallResult | 'dry-run';
  /** What the runtime API changed, or why it could not. */
  runtime: RuntimeOutcome | undefined;
  reload: boolean;
}

/** The steps every event goes through, chosen by its line in EVENTS. */
export async function runPipeline(event: EventName, ctx: RunContext): Promise<Outcome> {
  const plan: EventPlan = EVENTS[event];
  const { options } = ctx;
  // Read before locking: a run still waiting on Serf's pipe holds no one up.
  const eventText = plan.members.startsWith('event') ? await ctx.eventText() : '';
  const input: RunContext = { ...ctx, eventText: async () => eventText };
  // A dry run changes nothing, not even a lock file or an empty nodes
  // directory; every nodes file is replaced whole, so it can read unlocked.
  if (options.dryRun) return printConfig(plan, input);
  return withLock(options.nodesDir, async () => {
    const { before, verdict, after } = await decidePool(plan, input);
    // Saved before the template is even read: the store is the membership
    // record, so a missing or broken template loses no event, and the next
    // good run renders it all.
    const storeChanges = await saveStore(options.nodesDir, before, after);
    const template = await readFile(options.template, 'utf8');
    const rendered = await renderConfig(template, after, options.templateCache);
    // Read once: the runtime path compares it with the new one, and the install skips the same bytes.
    const live = await readIfExists(options.config);
    // The running HAProxy first (that is where traffic waits), then the file follows.
    const runtime = await changeRuntime(plan, rendered, live, input);
    const viaRuntime = runtime?.path === 'runtime';
    // Without the runtime API, HAProxy is marked as owed the new config before
    // the file becomes live, so a run killed between the two leaves the debt
    // for the next run. Through it, HAProxy already runs what the file will say.
    const owe = viaRuntime ? undefined : () => markReloadPending(options.nodesDir);
    const config = await installConfig(options.config, rendered, live, viaRuntime ? null : options.checkCmd, ctx.run, owe);
    const reload = await tellHaproxy(plan.haproxy, config, viaRuntime ? 'runtime' : 'reload', options, ctx.run, ctx.admin);
    return { verdict, servers: after.length, storeChanges, config, runtime, reload };
  });
}

/** Reads the store and the event's members, and decides the pool they make. */
async function decidePool(plan: EventPlan, ctx: RunContext): Promise<{ before: Server[]; verdict: Verdict; after: Server[] }> {
  const { options, log } = ctx;
  // One listing for both: the lock keeps anyone else from changing the directory meanwhile.
  const listing = await listFiles(options.nodesDir);
  const store = await readStore(options.nodesDir, listing);
  await clearDebris(options.nodesDir, store.problems, log, options.dryRun, listing);
  const read = await readMembers(plan.members, { eventText: ctx.eventText, membersCmd: options.membersCmd, members: ctx.members, role: options.role, run: ctx.run, log });
  const verdict = plan.decide(read.members, store.servers, { role: options.role, now: ctx.now().toISOString(), mayRemove: !read.agentAlone });
  verdict.rejected.unshift(...read.rejected);
  for (const reason of verdict.rejected) log('warn', 'member rejected', { reason });
  for (const reason of verdict.ignored) log('info', 'member ignored', { reason });
  for (const { msg, reason } of verdict.warnings) log('warn', msg, { reason });
  return { before: store.servers, verdict, after: applyChanges(store.servers, verdict.changes) };
}

/** The runtime API's part, for every event but a HAProxy about to start (it reads the file itself). */
async function changeRuntime(plan: EventPlan, rendered: string, live: string | undefined, ctx: RunContext): Promise<RuntimeOutcome | undefined> {
  const { options } = ctx;
  if (plan.haproxy === 'starting' || options.adminSocket === 'none') return undefined;
  const outcome = await changeRunningHaproxy(rendered, live, { backend: options.backend, removal: plan.removal, drainMs: Number(options.drainMs) }, ctx.admin);
  if (outcome.path === 'reload') ctx.log('warn', 'runtime API not used, reloading instead', { reason: outcome.reason });
  // A reconcile that finds the running HAProxy unlike the file it keeps says so: something changed it behind our back.
  if (plan.members === 'serf' && outcome.path === 'runtime' && outcome.result.added + outcome.result.removed + outcome.result.reweighted > 0 && live === rendered) {
    ctx.log('warn', 'runtime drift repaired', { added: outcome.result.added, removed: outcome.result.removed, reweighted: outcome.result.reweighted });
  }
  return outcome;
}

async function printConfig(plan: EventPlan, ctx: RunContext): Promise<Outcome> {
  const { verdict, after } = await decidePool(plan, ctx);
  const template = await readFile(ctx.options.template, 'utf8');
  ctx.stdout.write(await renderConfig(template, after));
  return { verdict, servers: after.length, storeChanges: 0, config: 'dry-run', runtime: undefined, reload: false };
}
