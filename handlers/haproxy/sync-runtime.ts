import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminCommand } from './admin-socket.ts';
import { parseConnectionsInUse, parseServersState, type RuntimeServer, succeeded } from './runtime-state.ts';
import { argument, type ServerLine } from './server-lines.ts';

/** What the running HAProxy must do so that its servers are the file's. */
export interface RuntimeChanges {
  add: ServerLine[];
  /** Same name, but another address, port or arguments: deleted, then added anew. */
  replace: ServerLine[];
  reweight: { name: string; weight: string }[];
  remove: string[];
}

/**
 * How a server leaves: `drain` stops new requests but a sticky client's and
 * lets the ones under way finish (a graceful leave); `maint` puts it in
 * maintenance at once, no request at all goes there (a failed member). Both
 * then wait, bounded, for the requests under way: a member that a saturated
 * machine's failure detector wrongly declared failed must not have its
 * answers cut, and a really dead one has none left to give.
 */
export type Removal = 'drain' | 'maint';

export interface RuntimeSettings {
  backend: string;
  removal: Removal;
  /** How long a draining server may keep connections before they are cut. */
  drainMs: number;
  pollMs?: number;
}

export interface RuntimeResult {
  added: number;
  removed: number;
  reweighted: number;
  /** Servers whose sessions were still open when the drain ran out of time. */
  cut: number;
}

export class RuntimeCommandError extends Error {}

/** A server's arguments but its weight, which `set server ... weight` changes in place. */
function withoutWeight(args: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'weight') i++;
    else kept.push(args[i]!);
  }
  return kept.join(' ');
}

/** Most servers of a run are the same line as before: one join each settles them before any word-by-word look. */
const sameButWeight = (a: ServerLine, b: ServerLine): boolean =>
  a.hostport === b.hostport && (a.args.join(' ') === b.args.join(' ') || withoutWeight(a.args) === withoutWeight(b.args));

function hostportOf(server: RuntimeServer): string {
  return server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
}

/**
 * Compares what the file will say (`wanted`), what it said until now
 * (`filed`: the runtime cannot show a server's arguments, the last file can)
 * and what runs (`running`).
 */
export function planRuntime(wanted: ReadonlyMap<string, ServerLine>, filed: ReadonlyMap<string, ServerLine>, running: readonly RuntimeServer[]): RuntimeChanges {
  const changes: RuntimeChanges = { add: [], replace: [], reweight: [], remove: [] };
  const runningByName = new Map(running.map((s) => [s.name, s]));
  for (const line of wanted.values()) {
    const now = runningByName.get(line.name);
    if (!now) {
      changes.add.push(line);
      continue;
    }
    const before = filed.get(line.name);
    if (hostportOf(now) !== line.hostport || !before || !sameButWeight(before, line)) {
      changes.replace.push(line);
      continue;
    }
    const weight = argument(line, 'weight') ?? '1';
    if (String(now.weight) !== weight) changes.reweight.push({ name: line.name, weight });
  }
  for (const server of running) if (!wanted.has(server.name)) changes.remove.push(server.name);
  return changes;
}

export function isEmpty(changes: RuntimeChanges): boolean {
  return changes.add.length + changes.replace.length + changes.reweight.length + changes.remove.length === 0;
}

/** Commands per line at most: HAProxy reads a CLI line into one buffer (tune.bufsize, 16 kB by default). */
const BATCH = 50;

/**
 * Sends commands on one connection and throws unless HAProxy answers each
 * with success. HAProxy runs `;`-separated commands in order (change-haproxy
 * keeps ';' out of every line); a refused one makes those that name its
 * server fail too, so any answer line but a success fails the whole.
 */
async function must(admin: AdminCommand, ...commands: string[]): Promise<void> {
  const command = commands.join('; ');
  const answer = await admin(command);
  const refusal = answer.split('\n').find((line) => !succeeded(line));
  if (refusal !== undefined) throw new RuntimeCommandError(`'${command}': ${refusal.trim()}`);
}

/** `must` for any number of independent commands, BATCH to a line. */
async function mustInBatches(admin: AdminCommand, commands: readonly string[]): Promise<void> {
  for (let i = 0; i < commands.length; i += BATCH) await must(admin, ...commands.slice(i, i + BATCH));
}

/**
 * A server added at run time starts in maintenance with its checks off; it
 * is enabled at once, since a backend announces itself only once it answers.
 */
async function addServer(admin: AdminCommand, backend: string, line: ServerLine): Promise<void> {
  const id = `${backend}/${line.name}`;
  const health = line.args.includes('check') ? [`enable health ${id}`] : [];
  await must(admin, `add server ${id} ${line.hostport} ${line.args.join(' ')}`.trimEnd(), ...health, `enable server ${id}`);
}

/** `del server` refuses a server that is not in maintenance or still has sessions: both are ended first. */
async function deleteServer(admin: AdminCommand, backend: string, name: string): Promise<void> {
  const id = `${backend}/${name}`;
  await must(admin, `set server ${id} state maint`, `shutdown sessions server ${id}`);
  // Apart: HAProxy ends the sessions in its own tasks, after the line that asked.
  await must(admin, `del server ${id}`);
}

/**
 * Drain: no new request goes to the servers (HAProxy's drain state still
 * honours a sticky client), the ones under way finish; each server is
 * deleted once it has no connection in use, or when the drain runs out.
 * All leavers drain at once, so a scale-down of many costs one wait.
 */
async function drainThenDelete(admin: AdminCommand, names: readonly string[], settings: RuntimeSettings): Promise<number> {
  const { backend, drainMs, pollMs = 50 } = settings;
  const state = settings.removal;
  await mustInBatches(admin, names.map((name) => `set server ${backend}/${name} state ${state}`));
  const deadline = Date.now() + drainMs;
  let waiting = [...names];
  while (waiting.length > 0 && Date.now() < deadline) {
    const inUse = parseConnectionsInUse(await admin(`show servers conn ${backend}`), backend);
    const idle = waiting.filter((name) => (inUse.get(name) ?? 0) === 0);
    for (const name of idle) await deleteServer(admin, backend, name);
    waiting = waiting.filter((name) => !idle.includes(name));
    if (waiting.length > 0) await sleep(pollMs);
  }
  for (const name of waiting) await deleteServer(admin, backend, name);
  return waiting.length;
}

/** Makes the running HAProxy's servers what `changes` says; throws RuntimeCommandError on the first refusal. */
export async function applyRuntime(changes: RuntimeChanges, settings: RuntimeSettings, admin: AdminCommand): Promise<RuntimeResult> {
  const { backend } = settings;
  // New servers first: they are what a client waits for.
  for (const line of changes.add) await addServer(admin, backend, line);
  await mustInBatches(admin, changes.reweight.map(({ name, weight }) => `set server ${backend}/${name} weight ${weight}`));
  for (const line of changes.replace) {
    await deleteServer(admin, backend, line.name);
    await addServer(admin, backend, line);
  }
  const cut = await drainThenDelete(admin, changes.remove, settings);
  return { added: changes.add.length + changes.replace.length, removed: changes.remove.length, reweighted: changes.reweight.length, cut };
}

export async function runningServers(admin: AdminCommand, backend: string): Promise<RuntimeServer[]> {
  return parseServersState(await admin(`show servers state ${backend}`));
}
