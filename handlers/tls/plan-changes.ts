import type { CertificateFile } from './certificate-files.ts';

export type CertificateChange =
  | { kind: 'add' | 'replace'; file: CertificateFile }
  | { kind: 'remove'; name: string };

/**
 * What the runtime API must do so that HAProxy serves the folder: `applied`
 * is name → hash of what it serves, `refused` name → hash of bytes already
 * refused, not tried again until the file changes (an ACME client writing a
 * file shows it half written for an instant; the next look sees it whole).
 */
export function planChanges(files: Map<string, CertificateFile>, applied: Map<string, string>, refused: Map<string, string>): CertificateChange[] {
  const changes: CertificateChange[] = [];
  for (const file of files.values()) {
    if (refused.get(file.name) === file.hash) continue;
    const current = applied.get(file.name);
    if (current === undefined) changes.push({ kind: 'add', file });
    else if (current !== file.hash) changes.push({ kind: 'replace', file });
  }
  for (const name of applied.keys()) if (!files.has(name)) changes.push({ kind: 'remove', name });
  return changes;
}
