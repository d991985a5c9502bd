import { access, unlink, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../os/atomic-write.ts';
import { firstLine, type RunCommand } from '../os/run-command.ts';
import { type AdminCommand, AdminSocketUnavailable } from './admin-socket.ts';
import { serversState } from './runtime-commands.ts';

export class ReloadError extends Error {}

/**
 * HAProxy may be behind the live file: written before a new config is
 * renamed into place, removed only once HAProxy was told, so a run killed
 * anywhere in between leaves the reload owed, never lost.
 */
export class ReloadOwed {
  constructor(private readonly path: string) {}

  mark(): Promise<void> {
    return writeFile(this.path, '');
  }

  clear(): Promise<void> {
    return unlink(this.path).catch(() => {});
  }

  async isSet(): Promise<boolean> {
    try {
      await access(this.path);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Writes `show servers state` where the config's `server-state-file` points,
 * so the worker a reload starts keeps each server's health, weight and
 * admin state instead of starting all of them afresh. Without a running
 * HAProxy there is no state to keep.
 */
async function saveServerState(admin: AdminCommand | undefined, stateFile: string): Promise<void> {
  if (!admin) return;
  try {
    await writeFileAtomic(stateFile, await serversState(admin));
  } catch (error) {
    if (!(error instanceof AdminSocketUnavailable)) throw error;
  }
}

export interface ReloadSettings {
  reloadCmd: string;
  stateFile: string;
}

/** Reloads HAProxy (the state saved first) and clears the debt; a failed reload stays owed. */
export async function reloadHaproxy(settings: ReloadSettings, owed: ReloadOwed, run: RunCommand, admin: AdminCommand | undefined): Promise<void> {
  await owed.mark();
  await saveServerState(admin, settings.stateFile);
  const result = await run(settings.reloadCmd);
  if (result.code !== 0) {
    throw new ReloadError(`reload command '${settings.reloadCmd}' failed (exit ${result.code}): ${firstLine(result.output)}; will retry on the next run`);
  }
  await owed.clear();
}
