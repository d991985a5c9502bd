import { closeSync, writeSync } from 'node:fs';

/**
 * Tells s6 the service is up: a newline on the notification fd, then close
 * it (s6-supervise(8), "readiness notification"). `s6-svwait -U` waits on this.
 */
export function notifyReady(fd: number): void {
  try {
    writeSync(fd, '\n');
    closeSync(fd);
  } catch (error) {
    throw new Error(`failed to notify readiness on fd ${fd}: ${(error as Error).message}`, { cause: error });
  }
}
