import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { installConfig, type InstallResult } from '../haproxy/install-config.ts';
import { markReloadPending, tellHaproxy } from '../haproxy/reload-haproxy.ts';
import { renderConfig } from '../haproxy/render-config.ts';
import { withLock } from '../os/lock.ts';
import type { Log } from '../os/log.ts';
import type { RunCommand } from '../os/run-command.ts';
import { applyChanges, readStore, saveStore } from '../pool/nodes-store.ts';
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
  dryRun: boolean;
}

/** What a run may touch besides the files the options name; tests pass their own. */
export interface RunContext {
  options: Settings;
  eventText: () => Promise<string>;
  stdout: Writable;
  run: RunCommand;
  now: () => Date;
  log: Log;
}

export interface Outcome {
  verdict: Verdict;
  servers: number;
  storeChanges: number;
  config: InstallResult | 'dry-run';
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
    // HAProxy is marked as owed the new config before the file becomes live,
    // so a run killed between the two leaves the debt for the next run.
    const config = await installConfig(options.config, renderConfig(template, after), options.checkCmd, ctx.run, () => markReloadPending(options.nodesDir));
    const reload = await tellHaproxy(plan.haproxy, config, options, ctx.run);
    return { verdict, servers: after.length, storeChanges, config, reload };
  });
}

/** Reads the store and the event's members, and decides the pool they make. */
async function decidePool(plan: EventPlan, ctx: RunContext): Promise<{ before: Server[]; verdict: Verdict; after: Server[] }> {
  const { options, log } = ctx;
  const store = await readStore(options.nodesDir);
  await clearDebris(options.nodesDir, store.problems, log, options.dryRun);
  const read = await readMembers(plan.members, { eventText: ctx.eventText, membersCmd: options.membersCmd, role: options.role, run: ctx.run, log });
  const verdict = plan.decide(read.members, store.servers, { role: options.role, now: ctx.now().toISOString(), mayRemove: !read.agentAlone });
  verdict.rejected.unshift(...read.rejected);
  for (const reason of verdict.rejected) log('warn', 'member rejected', { reason });
  for (const reason of verdict.ignored) log('info', 'member ignored', { reason });
  for (const { msg, reason } of verdict.warnings) log('warn', msg, { reason });
  return { before: store.servers, verdict, after: applyChanges(store.servers, verdict.changes) };
}

async function printConfig(plan: EventPlan, ctx: RunContext): Promise<Outcome> {
  const { verdict, after } = await decidePool(plan, ctx);
  const template = await readFile(ctx.options.template, 'utf8');
  ctx.stdout.write(renderConfig(template, after));
  return { verdict, servers: after.length, storeChanges: 0, config: 'dry-run', reload: false };
}
