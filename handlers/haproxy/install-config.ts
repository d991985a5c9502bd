import { readFile, rename, unlink } from 'node:fs/promises';
import { writeFileSynced } from '../os/atomic-write.ts';
import { firstLine, type RunCommand } from '../os/run-command.ts';

export class ConfigCheckError extends Error {}

export type InstallResult = 'unchanged' | 'installed';

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Makes `rendered` the live config, unless it already is (`live`: the live
 * file's bytes, read under the same lock, or undefined for none). The candidate sits
 * next to the live file (same file system, so the rename is atomic) and must
 * pass the check command first; on failure the live config stays as it was.
 * A null check command means the running HAProxy has just accepted these
 * very server lines through its runtime API, and the rest of the file is the
 * one already checked: the check would only cost time.
 * `beforeInstall` runs once the candidate passed, right before it goes live.
 */
export async function installConfig(
  liveConfig: string,
  rendered: string,
  live: string | undefined,
  checkCmd: string | null,
  run: RunCommand,
  beforeInstall: () => Promise<void> = async () => {},
): Promise<InstallResult> {
  if (live === rendered) return 'unchanged';
  const candidate = `${liveConfig}.candidate`;
  try {
    await writeFileSynced(candidate, rendered);
    const check = checkCmd === null ? { code: 0, output: '' } : await run(checkCmd, [candidate]);
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
