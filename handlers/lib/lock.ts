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
    if (await isStale(lockPath, staleMs)) {
      await unlink(lockPath).catch(() => {});
      continue;
    }
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
