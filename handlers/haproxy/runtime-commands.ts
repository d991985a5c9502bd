// Every command this project sends to HAProxy's runtime API (management
// guide, "Unix Socket commands"), and how each answer is read.
import type { AdminCommand } from './admin-socket.ts';
import { parseConnectionsInUse, parseServersState, type RuntimeServer, RuntimeStateError, succeeded } from './runtime-state.ts';
import type { ServerLine } from './server-lines.ts';

export class RuntimeCommandError extends Error {}

/**
 * How a server leaves: `drain` stops new requests but a sticky client's and
 * lets the ones under way finish (a graceful leave); `maint` sends it no
 * request at all from now on (a failed member). Both then wait, bounded, for
 * the requests under way: a member that a saturated machine's failure
 * detector wrongly declared failed must not have its answers cut, and a
 * really dead one has none left to give.
 */
export type Removal = 'drain' | 'maint';

/** Commands per line at most: HAProxy reads a CLI line into one buffer (tune.bufsize, 16 kB by default). */
const BATCH = 50;

/**
 * Sends commands on one connection and throws unless HAProxy answers each
 * with success. HAProxy runs `;`-separated commands in order (haproxy.ts
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
export async function mustInBatches(admin: AdminCommand, commands: readonly string[]): Promise<void> {
  for (let i = 0; i < commands.length; i += BATCH) await must(admin, ...commands.slice(i, i + BATCH));
}

/**
 * A server added at run time inherits nothing from `default-server` (the
 * caller spells its arguments out) and starts in maintenance with its checks
 * off; it is enabled at once, since a backend announces itself only once it answers.
 */
export async function addServer(admin: AdminCommand, backend: string, line: ServerLine): Promise<void> {
  const id = `${backend}/${line.name}`;
  const health = line.args.includes('check') ? [`enable health ${id}`] : [];
  await must(admin, `add server ${id} ${line.hostport} ${line.args.join(' ')}`.trimEnd(), ...health, `enable server ${id}`);
}

/** `del server` refuses a server that is not in maintenance or still has sessions: both are ended first. */
export async function deleteServer(admin: AdminCommand, backend: string, name: string): Promise<void> {
  const id = `${backend}/${name}`;
  await must(admin, `set server ${id} state maint`, `shutdown sessions server ${id}`);
  // Apart: HAProxy ends the sessions in its own tasks, after the line that asked.
  await must(admin, `del server ${id}`);
}

export function setState(admin: AdminCommand, backend: string, names: readonly string[], state: Removal | 'ready'): Promise<void> {
  return mustInBatches(admin, names.map((name) => `set server ${backend}/${name} state ${state}`));
}

export function setWeights(admin: AdminCommand, backend: string, weights: readonly { name: string; weight: string }[]): Promise<void> {
  return mustInBatches(admin, weights.map(({ name, weight }) => `set server ${backend}/${name} weight ${weight}`));
}

/** The file has a backend the running HAProxy has not: the worker a reload starts has not taken the socket yet. */
export class BackendNotLoaded extends RuntimeStateError {}

export async function runningServers(admin: AdminCommand, backend: string): Promise<RuntimeServer[]> {
  const answer = await admin(`show servers state ${backend}`);
  if (answer.startsWith("Can't find backend")) throw new BackendNotLoaded(`backend ${backend} is not in the running HAProxy`);
  return parseServersState(answer);
}

export async function connectionsInUse(admin: AdminCommand, backend: string): Promise<Map<string, number>> {
  return parseConnectionsInUse(await admin(`show servers conn ${backend}`), backend);
}

/** Every backend's servers with their health, weight and admin state: what a reloaded worker loads from the state file. */
export function serversState(admin: AdminCommand): Promise<string> {
  return admin('show servers state');
}
