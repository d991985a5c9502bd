import { readFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Server, byName, sameServer } from './server.ts';
import { checkAddress, checkName, InvalidMember, MAX_WEIGHT } from '../members/validate-member.ts';
import { writeFileAtomic } from '../os/atomic-write.ts';
import { inParallel } from '../os/in-parallel.ts';
import type { StoreProblem } from './debris.ts';

/** The nodes directory: one `<name>.json` per live server, the only state the handlers keep. */

export interface StoreContents {
  servers: Server[];
  /** Files that are not a valid server; never rendered. */
  problems: StoreProblem[];
}

export function serverFile(nodesDir: string, name: string): string {
  // checkName again here: no caller can build a path from an unchecked name.
  return join(nodesDir, `${checkName(name)}.json`);
}

function checkStoredServer(file: string, value: unknown): Server {
  const b = value as Partial<Server> | null;
  if (typeof b !== 'object' || b === null) throw new InvalidMember('not a JSON object');
  checkName(String(b.name));
  if (`${b.name}.json` !== file) throw new InvalidMember(`name ${JSON.stringify(b.name)} does not match the file name`);
  checkAddress(String(b.address));
  if (!Number.isInteger(b.port) || b.port! < 1 || b.port! > 65535) throw new InvalidMember('port out of range');
  if (!Number.isInteger(b.weight) || b.weight! < 0 || b.weight! > MAX_WEIGHT) throw new InvalidMember('weight out of range');
  return {
    name: b.name!,
    address: b.address!,
    port: b.port!,
    weight: b.weight!,
    tags: typeof b.tags === 'object' && b.tags !== null ? b.tags : {},
    updated: String(b.updated ?? ''),
  };
}

/** A directory not created yet holds no servers: a dry run must not create it just to look. */
export async function listFiles(nodesDir: string): Promise<string[]> {
  try {
    return await readdir(nodesDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * How many files are written at once. Each write ends in an fsync;
 * overlapping them lets the file system commit many in one journal flush (a
 * 100-member join went from about 90 to 30 ms here), while staying far below
 * any open-file limit.
 */
const IO_CONCURRENCY = 16;

/**
 * Reads every server, sorted by name so that the same set always renders the
 * same bytes. `listing` is the directory's listing when the caller has it.
 */
export async function readStore(nodesDir: string, listing?: readonly string[]): Promise<StoreContents> {
  // Dot files are ours (lock, temp files, markers), not servers.
  const files = (listing ?? (await listFiles(nodesDir))).filter((file) => !file.startsWith('.') && file.endsWith('.json')).sort();
  const servers: Server[] = [];
  const problems: StoreProblem[] = [];
  // Synchronous on purpose: a small file is read in microseconds, far less
  // than a round trip through libuv's four-thread pool, and the run holds
  // the lock and has nothing else to do meanwhile.
  for (const file of files) {
    try {
      servers.push(checkStoredServer(file, JSON.parse(readFileSync(join(nodesDir, file), 'utf8'))));
    } catch (error) {
      problems.push({ file, reason: (error as Error).message });
    }
  }
  return { servers: servers.sort(byName), problems };
}

export type StoreChange = { kind: 'put'; server: Server } | { kind: 'remove'; name: string };

/** The server set after the changes, in order; an unchanged server keeps its old `updated` time. */
export function applyChanges(current: readonly Server[], changes: readonly StoreChange[]): Server[] {
  const next = new Map(current.map((b) => [b.name, b]));
  for (const change of changes) {
    if (change.kind === 'remove') {
      next.delete(change.name);
      continue;
    }
    const old = next.get(change.server.name);
    // Keyed by name: a member back with a new address replaces its old entry.
    next.set(change.server.name, old && sameServer(old, change.server) ? old : change.server);
  }
  return [...next.values()].sort(byName);
}

/** Writes what changed between two sets and removes what left; returns how many files it touched. */
export async function saveStore(nodesDir: string, before: readonly Server[], after: readonly Server[]): Promise<number> {
  const old = new Map(before.map((b) => [b.name, b]));
  const changed = after.filter((server) => {
    const previous = old.get(server.name);
    old.delete(server.name);
    return !(previous && sameServer(previous, server));
  });
  await inParallel(changed, IO_CONCURRENCY, (server) => writeFileAtomic(serverFile(nodesDir, server.name), `${JSON.stringify(server, null, 2)}\n`));
  let removed = 0;
  await inParallel([...old.keys()], IO_CONCURRENCY, async (name) => {
    try {
      await unlink(serverFile(nodesDir, name));
      removed++;
    } catch (error) {
      // Someone else removed it first: the result is the one we wanted.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  });
  return changed.length + removed;
}
