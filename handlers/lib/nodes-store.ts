import { readFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Backend, byName, sameBackend } from './backend.ts';
import { checkAddress, checkName, InvalidMember, MAX_WEIGHT } from './validate-member.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { inParallel } from './in-parallel.ts';

/** The nodes directory: one `<name>.json` per live backend, the only state the handlers keep. */

export interface StoreContents {
  backends: Backend[];
  /** Files that are not a valid backend; they are left alone and never rendered. */
  problems: string[];
}

export function backendPath(nodesDir: string, name: string): string {
  // checkName again here: no caller can build a path from an unchecked name.
  return join(nodesDir, `${checkName(name)}.json`);
}

function checkStoredBackend(file: string, value: unknown): Backend {
  const b = value as Partial<Backend> | null;
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

/** A directory not created yet holds no backends: a dry run must not create it just to look. */
async function listFiles(nodesDir: string): Promise<string[]> {
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

/** Reads every backend, sorted by name so that the same set always renders the same bytes. */
export async function readStore(nodesDir: string): Promise<StoreContents> {
  // Dot files are ours (lock, temp files, markers), not backends.
  const files = (await listFiles(nodesDir)).filter((file) => !file.startsWith('.') && file.endsWith('.json')).sort();
  const backends: Backend[] = [];
  const problems: string[] = [];
  // Synchronous on purpose: a small file is read in microseconds, far less
  // than a round trip through libuv's four-thread pool, and the run holds
  // the lock and has nothing else to do meanwhile.
  for (const file of files) {
    try {
      backends.push(checkStoredBackend(file, JSON.parse(readFileSync(join(nodesDir, file), 'utf8'))));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return { backends: backends.sort(byName), problems };
}

export type StoreChange = { kind: 'put'; backend: Backend } | { kind: 'remove'; name: string };

/** The backend set after the changes, in order; an unchanged backend keeps its old `updated` time. */
export function applyChanges(current: readonly Backend[], changes: readonly StoreChange[]): Backend[] {
  const next = new Map(current.map((b) => [b.name, b]));
  for (const change of changes) {
    if (change.kind === 'remove') {
      next.delete(change.name);
      continue;
    }
    const old = next.get(change.backend.name);
    // Keyed by name: a member back with a new address replaces its old entry.
    next.set(change.backend.name, old && sameBackend(old, change.backend) ? old : change.backend);
  }
  return [...next.values()].sort(byName);
}

/** Writes what changed between two sets and removes what left; returns how many files it touched. */
export async function saveStore(nodesDir: string, before: readonly Backend[], after: readonly Backend[]): Promise<number> {
  const old = new Map(before.map((b) => [b.name, b]));
  const changed = after.filter((backend) => {
    const previous = old.get(backend.name);
    old.delete(backend.name);
    return !(previous && sameBackend(previous, backend));
  });
  await inParallel(changed, IO_CONCURRENCY, (backend) => writeFileAtomic(backendPath(nodesDir, backend.name), `${JSON.stringify(backend, null, 2)}\n`));
  let removed = 0;
  await inParallel([...old.keys()], IO_CONCURRENCY, async (name) => {
    try {
      await unlink(backendPath(nodesDir, name));
      removed++;
    } catch (error) {
      // Someone else removed it first: the result is the one we wanted.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  });
  return changed.length + removed;
}
