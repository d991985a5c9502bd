import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One file of the certificates folder, as found this time. */
export interface CertificateFile {
  name: string;
  pem: string;
  /** sha256 of the bytes: what says "changed", whatever the file's time stamps say. */
  hash: string;
}

/**
 * The name becomes a path in HAProxy's crt-list and a word of a runtime
 * command, where a space or a quote would split it.
 */
export const CERTIFICATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.pem$/;

export function hashOf(pem: string): string {
  return createHash('sha256').update(pem).digest('hex');
}

/**
 * Every `*.pem` regular file directly in `dir` (symbolic links followed:
 * certbot's live/ folder and Docker secrets are links). Other files (a
 * README, .gitkeep, a file half written under a dot name) are no
 * certificate. A missing folder holds none.
 */
export async function readCertificateFiles(dir: string): Promise<Map<string, CertificateFile>> {
  const found = new Map<string, CertificateFile>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return found;
    throw error;
  }
  for (const name of names.filter((n) => n.endsWith('.pem') && !n.startsWith('.')).sort()) {
    const path = join(dir, name);
    try {
      if (!(await stat(path)).isFile()) continue;
      const pem = await readFile(path, 'utf8');
      found.set(name, { name, pem, hash: hashOf(pem) });
    } catch (error) {
      // Removed between readdir and read: gone, like any removed file.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return found;
}
