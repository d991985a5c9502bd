import { writeFileAtomic } from '../os/atomic-write.ts';
import { type AdminCommand, AdminSocketUnavailable } from './admin-socket.ts';

/**
 * Writes `show servers state` where the config's `server-state-file` points,
 * so the worker a reload starts keeps each server's health, weight and
 * admin state (a draining server stays draining) instead of starting all of
 * them afresh. Without a running HAProxy there is no state to keep.
 */
export async function saveServerState(admin: AdminCommand, stateFile: string): Promise<void> {
  let state: string;
  try {
    state = await admin('show servers state');
  } catch (error) {
    if (error instanceof AdminSocketUnavailable) return;
    throw error;
  }
  await writeFileAtomic(stateFile, state);
}
