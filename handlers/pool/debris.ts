import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../os/log.ts';

/** A nodes file that is not a valid server, and why. */
export interface StoreProblem {
  file: string;
  reason: string;
}

/** Where corrupt node files go: a dot folder, which the store never reads. */
export const CORRUPT_DIR = '.corrupt';

/** What atomic-write names its temp files: `.<name>.<pid>.<n>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;
/** Files of the pid-file lock this project used before; nothing reads them now. */
const OLD_LOCK_FILES = new Set(['.lock', '.lock.break']);
/** No write takes this long: a temp file this old is left by a run that died, whatever its pid says now. */
const TEMP_MAX_AGE_MS = 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isDebris(nodesDir: string, file: string): Promise<boolean> {
  if (OLD_LOCK_FILES.has(file)) return true;
  const temp = TEMP_FILE.exec(file);
  if (!temp) return false;
  if (!alive(Number(temp[1]))) return true;
  try {
    return Date.now() - (await stat(join(nodesDir, file))).mtimeMs > TEMP_MAX_AGE_MS;
  } catch {
    return false;
  }
}

/**
 * Clears what killed runs leave behind, under the lock: temp files of runs
 * that died, and node files that are not a valid server, moved once into
 * .corrupt/ with one log line (kept for a person to read, never rendered,
 * never warned about again). A dry run changes nothing, so it only warns.
 * `listing` is the directory's listing when the caller has it.
 */
export async function clearDebris(nodesDir: string, problems: readonly StoreProblem[], log: Log, dryRun: boolean, listing?: readonly string[]): Promise<void> {
  if (dryRun) {
    for (const { file, reason } of problems) log('warn', 'nodes file skipped', { file, reason });
    return;
  }
  const files = listing ?? (await readdir(nodesDir).catch(() => [] as string[]));
  // Most files are servers: only a name that could be debris costs a check and an await.
  for (const file of files.filter((f) => OLD_LOCK_FILES.has(f) || TEMP_FILE.test(f))) {
    if (await isDebris(nodesDir, file)) await unlink(join(nodesDir, file)).catch(() => {});
  }
  if (problems.length === 0) return;
  await mkdir(join(nodesDir, CORRUPT_DIR), { recursive: true });
  for (const { file, reason } of problems) {
    await rename(join(nodesDir, file), join(nodesDir, CORRUPT_DIR, file));
    log('warn', 'nodes file moved aside', { file, reason, to: `${CORRUPT_DIR}/` });
  }
}
