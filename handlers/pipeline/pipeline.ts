import { readFile } from 'node:fs/promises';
import type { Haproxy, HaproxyChange } from '../haproxy/haproxy.ts';
import type { InstallResult } from '../haproxy/install-config.ts';
import type { Removal } from '../haproxy/runtime-commands.ts';
import { renderConfig } from '../haproxy/render-config.ts';
import { configSkeleton } from '../haproxy/server-lines.ts';
import type { AgentView } from '../members/serf-members.ts';
import { withLock } from '../os/lock.ts';
import type { Log } from '../os/log.ts';
import type { LineSink } from '../os/stderr-lines.ts';
import { clearDebris } from '../pool/debris.ts';
import { applyChanges, listFiles, readStore, saveStore } from '../pool/nodes-store.ts';
import type { Server } from '../pool/server.ts';
import { planServices, type Routes } from '../pool/services.ts';
import { decidePool, type Verdict } from './decide-pool.ts';

/**
 * `reconcile`: the pool becomes the agent's alive members, and HAProxy
 * follows; every member event is applied this way. `render`: the pool as it
 * is, for a HAProxy about to start on the file.
 */
export type Pass = 'reconcile' | 'render';

/** What a pass reads and touches; the CLI and the engine fill it, tests pass their own. */
export interface PassContext {
  nodesDir: string;
  template: string;
  role: string;
  dryRun: boolean;
  haproxy: Haproxy;
  /** The agent's members (its RPC, or `serf members`). */
  members: () => Promise<AgentView>;
  /** Where a dry run prints the config. */
  stdout: LineSink;
  now: () => Date;
  log: Log;
}

export interface Outcome {
  verdict: Verdict;
  servers: number;
  storeChanges: number;
  /** What HAProxy was told: a change, the file it is about to start on, or nothing (a dry run). */
  haproxy: HaproxyChange | { starting: InstallResult } | 'dry-run';
  /** The agent lists other members than itself: the pool is the cluster's, not a fresh agent's guess. */
  agentJoined: boolean;
}

const nothing: Verdict = { changes: [], rejected: [], rejectedNames: new Set(), ignored: 0, warnings: [] };

export async function runPass(pass: Pass, ctx: PassContext): Promise<Outcome> {
  // A dry run changes nothing, not even a lock file or an empty nodes
  // directory; every nodes file is replaced whole, so it can read unlocked.
  if (ctx.dryRun) {
    const { verdict, after, agentJoined } = await decide(pass, ctx);
    ctx.stdout.write((await render(ctx, after)).config);
    return { verdict, servers: after.length, storeChanges: 0, haproxy: 'dry-run', agentJoined };
  }
  return withLock(ctx.nodesDir, async () => {
    const { before, verdict, after, removals, agentJoined } = await decide(pass, ctx);
    // Saved before the template is even read: the store is the membership
    // record, so a missing or broken template loses no change, and the next
    // good run renders it all.
    const storeChanges = await saveStore(ctx.nodesDir, before, after);
    const { config, routes } = await render(ctx, after);
    const haproxy = pass === 'render' ? { starting: await ctx.haproxy.starting(config, routes) } : await ctx.haproxy.bringTo(config, removals, routes);
    return { verdict, servers: after.length, storeChanges, haproxy, agentJoined };
  });
}

/** Conflict lines already logged by this process: a conflict that lasts is said once, not every pass. */
const told = new Set<string>();

/**
 * The config and routes for these servers. A service whose last member left
 * keeps its (empty) backend and routes while nothing else changes the
 * config, so its leaving costs no reload; once the config changes anyway,
 * the reload that follows drops it.
 */
async function render(ctx: PassContext, servers: readonly Server[]): Promise<{ config: string; routes: Routes }> {
  const source = await readFile(ctx.template, 'utf8');
  const live = await ctx.haproxy.liveRouting();
  const once = (kept: boolean) => {
    const plan = planServices(servers, ctx.haproxy.defaultService, live, kept);
    const config = renderConfig(source, servers, { services: plan.services, routesMap: ctx.haproxy.routesMap, defaultService: ctx.haproxy.defaultService });
    return { config, routes: plan.routes, conflicts: plan.conflicts };
  };
  let result = once(true);
  if (live.config !== undefined && configSkeleton(result.config) !== configSkeleton(live.config)) result = once(false);
  for (const line of result.conflicts) {
    // The same decision for another reason (the winner now holds the route) is not news.
    const decision = line.replace(/ \(.*\)$/, '');
    if (!told.has(decision)) ctx.log('warn', 'route conflict', { reason: line });
    told.add(decision);
  }
  return result;
}

/** Reads the store and the agent's members, and decides the pool they make. */
async function decide(pass: Pass, ctx: PassContext): Promise<{ before: Server[]; verdict: Verdict; after: Server[]; removals: Map<string, Removal>; agentJoined: boolean }> {
  const { log } = ctx;
  // One listing for both: the lock keeps anyone else from changing the directory meanwhile.
  const listing = await listFiles(ctx.nodesDir);
  const store = await readStore(ctx.nodesDir, listing);
  await clearDebris(ctx.nodesDir, store.problems, log, ctx.dryRun, listing);
  const removals = new Map<string, Removal>();
  if (pass === 'render') return { before: store.servers, verdict: nothing, after: store.servers, removals, agentJoined: false };
  const view = await ctx.members();
  const verdict = decidePool(view.alive, store.servers, { role: ctx.role, now: ctx.now().toISOString(), mayRemove: view.listed > 1 });
  for (const reason of verdict.rejected) log('warn', 'member rejected', { reason });
  for (const { msg, reason } of verdict.warnings) log('warn', msg, { reason });
  // A failed member gets no new request at all, not even a sticky client's.
  for (const name of view.failed) removals.set(name, 'maint');
  return { before: store.servers, verdict, after: applyChanges(store.servers, verdict.changes), removals, agentJoined: view.listed > 1 };
}
