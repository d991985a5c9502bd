// Makes the running HAProxy's servers, backend by backend, and its routes
// map what a rendered config and route table say, through the runtime API.
// The caller has checked that the two configs differ in server lines only.
import type { Log } from '../os/log.ts';
import type { AdminCommand } from './admin-socket.ts';
import type { BackendDrains, Drains } from './drains.ts';
import { syncRoutes, type RouteTable } from './routes-map.ts';
import { isEmpty, planRuntime, type RuntimeChanges } from './runtime-plan.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { addServer, BackendNotLoaded, deleteServer, type Removal, runningServers, setState, setWeights } from './runtime-commands.ts';
import { backendNames, serverLines } from './server-lines.ts';

export interface RuntimeCounts {
  added: number;
  removed: number;
  reweighted: number;
  /** Routes added, moved or removed in the map. */
  routes: number;
}

async function apply(admin: AdminCommand, backend: string, drains: Drains, changes: RuntimeChanges, removals: ReadonlyMap<string, Removal>): Promise<void> {
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

/**
 * A pass right after a reload may reach the old worker, which never had a
 * backend the new config added (the master is still starting the new one):
 * it waits for the new worker rather than reloading a second time.
 */
async function runningOnceLoaded(admin: AdminCommand, backend: string, tries = 40): Promise<Awaited<ReturnType<typeof runningServers>>> {
  for (let i = 1; ; i++) {
    try {
      return await runningServers(admin, backend);
    } catch (error) {
      if (!(error instanceof BackendNotLoaded) || i >= tries) throw error;
      await sleep(100);
    }
  }
}

/** `routes` undefined: the config names no routes map, there is none to keep in step. */
export async function syncRuntime(
  admin: AdminCommand,
  drains: BackendDrains,
  config: { rendered: string; live: string },
  routes: { file: string; table: RouteTable } | undefined,
  removals: ReadonlyMap<string, Removal>,
  log: Log,
): Promise<RuntimeCounts> {
  const counts: RuntimeCounts = { added: 0, removed: 0, reweighted: 0, routes: 0 };
  for (const backend of backendNames(config.rendered)) {
    const backendDrains = drains.of(backend);
    const changes = planRuntime(serverLines(config.rendered, backend), serverLines(config.live, backend), await runningOnceLoaded(admin, backend), backendDrains.leaving);
    if (isEmpty(changes)) continue;
    // The file already said this: something changed HAProxy behind our back.
    if (config.live === config.rendered) log('warn', 'runtime drift repaired', { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length, readied: changes.ready.length, backend });
    await apply(admin, backend, backendDrains, changes, removals);
    counts.added += changes.add.length + changes.replace.length;
    counts.removed += changes.remove.length;
    counts.reweighted += changes.reweight.length;
  }
  // After the servers: a route to a service is worth something once its servers are in.
  if (routes) counts.routes = await syncRoutes(admin, routes.file, routes.table);
  return counts;
}
