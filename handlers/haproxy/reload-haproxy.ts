import { access, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firstLine, type RunCommand } from '../os/run-command.ts';
import type { AdminCommand } from './admin-socket.ts';
import { saveServerState } from './server-state-file.ts';

export class ReloadError extends Error {}

/**
 * Marks a reload as owed when one fails, so that the next run reloads even
 * if the config it renders is the one already on disk.
 */
export function pendingMarker(nodesDir: string): string {
  return join(nodesDir, '.reload-pending');
}

/**
 * Marks HAProxy as possibly behind the live file. Written before a new
 * config is renamed into place and removed only once HAProxy was told, so a
 * run killed anywhere in between leaves the reload owed, never lost.
 */
export async function markReloadPending(nodesDir: string): Promise<void> {
  await writeFile(pendingMarker(nodesDir), '');
}

export async function reloadHaproxy(reloadCmd: string, nodesDir: string, run: RunCommand): Promise<void> {
  const marker = pendingMarker(nodesDir);
  await markReloadPending(nodesDir);
  const result = await run(reloadCmd);
  if (result.code !== 0) {
    throw new ReloadError(`reload command '${reloadCmd}' failed (exit ${result.code}): ${firstLine(result.output)}; will retry on the next event`);
  }
  await unlink(marker);
}

export async function isReloadPending(nodesDir: string): Promise<boolean> {
  try {
    await access(pendingMarker(nodesDir));
    return true;
  } catch {
    return false;
  }
}

export interface ReloadSettings {
  reloadCmd: string;
  nodesDir: string;
  stateFile: string;
}

/**
 * Brings HAProxy in line with the installed config when its runtime API did
 * not (`via` 'reload'): reloads when the file changed or a reload is still
 * owed, after saving the servers' state (health, weight, drain) for the new
 * worker to load. A HAProxy about to start reads the file itself, so nothing
 * is owed to it. Returns whether it reloaded.
 */
export async function tellHaproxy(
  step: 'apply' | 'starting',
  config: 'installed' | 'unchanged',
  via: 'runtime' | 'reload',
  settings: ReloadSettings,
  run: RunCommand,
  admin: AdminCommand,
): Promise<boolean> {
  if (step === 'starting') {
    await unlink(pendingMarker(settings.nodesDir)).catch(() => {});
    return false;
  }
  const owed = await isReloadPending(settings.nodesDir);
  if (!owed && (via === 'runtime' || config === 'unchanged')) return false;
  await saveServerState(admin, settings.stateFile);
  await reloadHaproxy(settings.reloadCmd, settings.nodesDir, run);
  return true;
}
