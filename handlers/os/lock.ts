import { mkdirSync, realpathSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export class LockTimeout extends Error {}

export interface LockOptions {
  /** How long to wait for the holder before giving up. */
  timeoutMs?: number;
}

/** FNV-1a, 64 bits: a socket name must fit in 108 bytes, whatever the path's length. Not node:crypto, which costs a run ~3 ms to load. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

/**
 * The lock's name in Linux's abstract socket namespace (the leading NUL):
 * `ss -xl | grep serf-haproxy` shows the holder. Derived from the real path,
 * so every spelling of one nodes directory names one lock.
 */
export function lockName(nodesDir: string): string {
  return `\0serf-haproxy-autoscale/nodes-lock/${fnv1a64(realpathSync(nodesDir))}`;
}

/** Binds the name, or resolves undefined when another process holds it. */
function bind(name: string, accepted: Set<Socket>): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      // A waiter connects to learn when we are gone; it needs nothing else.
      accepted.add(socket.on('error', () => {}).on('close', () => accepted.delete(socket)));
      socket.unref();
    });
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen({ path: name }, () => resolve(server.unref()));
  });
}

/**
 * Waits until the holder lets go (its connection to us closes: released,
 * exited or killed) or the deadline passes. A name bound but not listening,
 * or freed between our bind and connect, refuses: retry shortly.
 */
function holderGone(name: string, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: name });
    const timer = setTimeout(() => socket.destroy(), Math.max(0, deadline - Date.now()));
    socket.on('error', () => {});
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (hadError) sleep(5).then(() => resolve());
      else resolve();
    });
  });
}

/**
 * Serialises every run that touches the nodes directory (Serf's handlers, a
 * reconcile, an operator's manual run, HAProxy's run script). The lock is a
 * unix socket bound in Linux's abstract namespace: one process at a time can
 * bind a name, and the kernel frees it the instant its holder exits or is
 * SIGKILLed, so there is no file to go stale, no pid to check, and a live
 * holder is never taken over however long it holds. The socket is
 * close-on-exec, so a command the holder runs does not hold it after the
 * holder dies. Abstract names belong to a network namespace: every run of one
 * ha container shares it (the image's processes, `docker exec`), which is
 * what this lock serves; the nodes directory is not meant to be shared by
 * two containers.
 */
export async function withLock<T>(nodesDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 60_000 } = options;
  // The nodes directory names the lock, so a first run on a fresh machine
  // creates it. Synchronous: two calls of microseconds, where each round
  // trip through libuv's thread pool costs more than the call.
  mkdirSync(nodesDir, { recursive: true });
  const name = lockName(nodesDir);
  const deadline = Date.now() + timeoutMs;
  const accepted = new Set<Socket>();
  let server: Server | undefined;
  while (!(server = await bind(name, accepted))) {
    if (Date.now() >= deadline) {
      throw new LockTimeout(`nodes directory ${nodesDir} still locked after ${timeoutMs} ms (another run holds @${name.slice(1)})`);
    }
    await holderGone(name, deadline);
  }
  try {
    return await work();
  } finally {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
