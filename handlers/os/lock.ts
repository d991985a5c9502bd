import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class LockTimeout extends Error {}

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid now belongs to another process. */
  staleMs?: number;
  pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A breaker only reads, stats and unlinks: one this old was killed midway. */
const BREAKER_STALE_MS = 5_000;

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const pid = Number.parseInt(content, 10);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    // An empty file is a holder between create and write: give it time.
    return Number.isInteger(pid) && pid > 0 && !alive(pid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Removes a stale lock, one waiter at a time. Without the breaker, two
 * waiters can both judge the same dead lock stale, and the slower one's
 * unlink then removes the lock the faster one has just taken: two holders.
 * Holding the breaker, the stale lock can only be removed by us, so it is
 * still the file we judged. Returns false when another waiter holds it.
 */
async function breakStaleLock(lockPath: string, staleMs: number): Promise<boolean> {
  const breaker = `${lockPath}.break`;
  try {
    await (await open(breaker, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (await olderThan(breaker, BREAKER_STALE_MS)) await unlink(breaker).catch(() => {});
    return false;
  }
  try {
    if (await isStale(lockPath, staleMs)) await unlink(lockPath).catch(() => {});
    return true;
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

/**
 * Serialises every run that touches the nodes directory (Serf's handlers, a
 * reconcile, an operator's manual run). The lock is a file holding the
 * holder's pid; a holder killed with SIGKILL leaves it behind, so a lock
 * whose pid is gone, or that is older than staleMs, is taken over.
 */
export async function withLock<T>(nodesDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 60_000, staleMs = 120_000, pollMs = 25 } = options;
  const lockPath = join(nodesDir, '.lock');
  const deadline = Date.now() + timeoutMs;
  // The lock lives in the nodes directory, so a first run on a fresh machine creates it.
  await mkdir(nodesDir, { recursive: true });
  for (;;) {
    try {
      const file = await open(lockPath, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if ((await isStale(lockPath, staleMs)) && (await breakStaleLock(lockPath, staleMs))) continue;
    if (Date.now() > deadline) {
      throw new LockTimeout(`nodes directory ${nodesDir} still locked after ${timeoutMs} ms (${lockPath})`);
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => {});
  }
}
