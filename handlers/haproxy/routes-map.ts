// The routes map file (host/path prefix -> service) and the runtime
// commands that keep a running HAProxy's copy of it in step (management
// guide: "show map", "add map", "set map", "del map"), so a route that
// comes or goes never costs a reload.
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../os/atomic-write.ts';
import type { AdminCommand } from './admin-socket.ts';
import { readIfExists } from './install-config.ts';
import { mustInBatches } from './runtime-commands.ts';
import { RuntimeStateError } from './runtime-state.ts';

export type RouteTable = ReadonlyMap<string, string>;

/** Beside the live config: the template names it, and `haproxy -c` loads it with the candidate. */
export function routesMapPath(config: string): string {
  return join(dirname(config), 'routes.map');
}

/** One `key value` line per route, sorted: the same routes always write the same bytes. */
export function routesFile(routes: RouteTable): string {
  const lines = [...routes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, service]) => `${key} ${service}\n`);
  return `# Written by the engine from the backends' tags: host/path prefix, then service.\n${lines.join('')}`;
}

/** Writes the routes map file when it would change; true if it did. */
export async function writeRoutesFile(path: string, routes: RouteTable): Promise<boolean> {
  const text = routesFile(routes);
  if ((await readIfExists(path)) === text) return false;
  await writeFileAtomic(path, text);
  return true;
}

/** The routes of a map file's text (comments and blank lines skipped). */
export function parseRoutesFile(text: string): Map<string, string> {
  const routes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [key, service] = line.trim().split(/\s+/);
    if (key && service && !key.startsWith('#')) routes.set(key, service);
  }
  return routes;
}

/** `show map <file>` answers one `<pointer> <key> <value>` line per entry. */
export function parseShowMap(text: string): Map<string, string> {
  const routes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length !== 3 || !fields[0]!.startsWith('0x')) throw new RuntimeStateError(`expected '<pointer> <key> <value>' from 'show map', got ${JSON.stringify(line.slice(0, 80))}`);
    routes.set(fields[1]!, fields[2]!);
  }
  return routes;
}

export interface RouteChanges {
  add: [string, string][];
  /** A route that moves to another service: one `set map`, no moment without it. */
  set: [string, string][];
  del: string[];
}

export function planRoutes(wanted: RouteTable, running: RouteTable): RouteChanges {
  const changes: RouteChanges = { add: [], set: [], del: [] };
  for (const [key, service] of wanted) {
    const now = running.get(key);
    if (now === undefined) changes.add.push([key, service]);
    else if (now !== service) changes.set.push([key, service]);
  }
  for (const key of running.keys()) if (!wanted.has(key)) changes.del.push(key);
  return changes;
}

const routeChangeCount = (changes: RouteChanges): number => changes.add.length + changes.set.length + changes.del.length;

/** Makes the running HAProxy's copy of `file` hold `wanted`; returns how many routes changed. */
export async function syncRoutes(admin: AdminCommand, file: string, wanted: RouteTable): Promise<number> {
  const changes = planRoutes(wanted, parseShowMap(await admin(`show map ${file}`)));
  await mustInBatches(admin, [
    ...changes.add.map(([key, service]) => `add map ${file} ${key} ${service}`),
    ...changes.set.map(([key, service]) => `set map ${file} ${key} ${service}`),
    ...changes.del.map((key) => `del map ${file} ${key}`),
  ]);
  return routeChangeCount(changes);
}
