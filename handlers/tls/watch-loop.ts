import { setTimeout as sleep } from 'node:timers/promises';
import { AdminSocketUnavailable } from '../haproxy/admin-socket.ts';
import type { Log } from '../os/log.ts';

/**
 * Looks again every `intervalMs`, for as long as the process lives. A poll,
 * not inotify: events do not cross a bind mount reliably, and Docker
 * secrets change by a new file behind a link. A look costs a readdir and
 * a hash of a few kilobytes. A failed look is logged and the next one
 * retries; "HAProxy not up yet" is said once.
 */
export async function watchEvery(intervalMs: number, look: () => Promise<unknown>, log: Log, signal?: AbortSignal): Promise<void> {
  let waitingSaid = false;
  let lastError = '';
  while (!signal?.aborted) {
    try {
      await look();
      waitingSaid = false;
      lastError = '';
    } catch (error) {
      if (error instanceof AdminSocketUnavailable) {
        if (!waitingSaid) log('info', "waiting for HAProxy's admin socket", { reason: error.message });
        waitingSaid = true;
      } else {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) log('error', 'certificates not applied, retrying', { reason: message.split('\n')[0] });
        lastError = message;
      }
    }
    await sleep(intervalMs, undefined, { signal }).catch(() => {});
  }
}
