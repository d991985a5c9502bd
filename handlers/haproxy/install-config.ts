import { readFile, rename, unlink } from 'node:fs/promises';
import { writeFileSynced } from '../os/atomic-write.ts';
import { firstLine, type RunCommand } from '../os/run-command.ts';

export class ConfigCheckError extends Error {}

export type InstallResult = 'unchanged' | 'installed';

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Makes `rendered` the live config, unless it already is. The candidate sits
 * next to the live file (same file system, so the rename is atomic) and must
 * pass the check command first; on failure the live config stays as it was.
 * `beforeInstall` runs once the candidate passed, right before it goes live.
 */
export async function installConfig(
  liveConfig: string,
  rendered: string,
  checkCmd: string,
  run: RunCommand,
  beforeInstall: () => Promise<void> = async () => {},
): Promise<InstallResult> {
  if ((await readIfExists(liveConfig)) === rendered) return 'unchanged';
  const candidate = `${liveConfig}.candidate`;
  try {
    await writeFileSynced(candidate, rendered);
    const check = await run(checkCmd, [candidate]);
    if (check.code !== 0) {
      throw new ConfigCheckError(`candidate config rejected by '${checkCmd}' (exit ${check.code}): ${firstLine(check.output)}; last good config kept`);
    }
    await beforeInstall();
    await rename(candidate, liveConfig);
  } catch (error) {
    // Whatever failed, no half-checked candidate is left for a person to mistake for the config.
    await unlink(candidate).catch(() => {});
    throw error;
  }
  return 'installed';
}
