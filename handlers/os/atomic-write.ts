import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let written = 0;

/**
 * A temporary name in the same directory, so the final rename never crosses
 * file systems. The pid keeps concurrent processes apart and the counter the
 * parallel writes of one. Not node:crypto: loading it alone cost each
 * handler run about 3 ms.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${++written}.tmp`);
}

/** Writes to `path` so that readers see either the old bytes or the new ones, never a mix. */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFileSynced(temp, data, mode);
    await rename(temp, path);
  } catch (error) {
    // A write that fails halfway (a full disk) must not leave its temp file behind either.
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Writes and fsyncs a file in place; the caller decides when it becomes visible. */
export async function writeFileSynced(path: string, data: string, mode = 0o644): Promise<void> {
  const file = await open(path, 'w', mode);
  try {
    await file.writeFile(data);
    await file.chmod(mode);
    await file.sync();
  } finally {
    await file.close();
  }
}
