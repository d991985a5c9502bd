// What HAProxy was given, on disk in the folder the HTTPS bind reads
// (/run/haproxy/tls): a copy of each certificate it accepted, under
// certs/, and crt-list naming those copies. A reload or restart loads this
// list: the same certificates the runtime API set, never a file the user
// broke since, and it tells a restarted watcher where it left off.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../os/atomic-write.ts';
import { hashOf } from './certificate-files.ts';

export class AppliedStore {
  readonly crtList: string;
  private readonly certsDir: string;

  constructor(tlsDir: string) {
    this.crtList = join(tlsDir, 'crt-list');
    this.certsDir = join(tlsDir, 'certs');
  }

  /** The name HAProxy knows a certificate by: its copy's path. */
  pathOf(name: string): string {
    return join(this.certsDir, name);
  }

  /** name → hash of every certificate the crt-list names and whose copy is there. */
  async read(): Promise<Map<string, string>> {
    const applied = new Map<string, string>();
    let list = '';
    try {
      list = await readFile(this.crtList, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of list.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const name = line.slice(this.certsDir.length + 1);
      if (!line.startsWith(`${this.certsDir}/`) || name.includes('/')) continue;
      try {
        applied.set(name, hashOf(await readFile(line, 'utf8')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return applied;
  }

  /** The key is in there: root alone reads it. */
  async keep(name: string, pem: string): Promise<void> {
    await writeFileAtomic(this.pathOf(name), pem, 0o600);
  }

  async forget(name: string): Promise<void> {
    await unlink(this.pathOf(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Sorted, so the file reads the same for the same certificates. */
  async writeList(names: Iterable<string>): Promise<void> {
    const lines = [...names].sort().map((name) => `${this.pathOf(name)}\n`);
    await writeFileAtomic(this.crtList, lines.join(''), 0o600);
  }
}
