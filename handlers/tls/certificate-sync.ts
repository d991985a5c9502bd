import { X509Certificate } from 'node:crypto';
import type { AdminCommand } from '../haproxy/admin-socket.ts';
import type { Log } from '../os/log.ts';
import type { AppliedStore } from './applied-store.ts';
import { CERTIFICATE_NAME, readCertificateFiles, type CertificateFile } from './certificate-files.ts';
import { pemProblem } from './check-pem.ts';
import { planChanges, type CertificateChange } from './plan-changes.ts';
import { addCertificate, CertificateRefused, listedCertificates, removeCertificate, replaceCertificate } from './ssl-runtime.ts';

export interface CertificateSyncOptions {
  /** The user's folder: /etc/lb/certs (a bind mount, or Docker secrets laid there). */
  certsDir: string;
  store: AppliedStore;
  admin: AdminCommand;
  log: Log;
  now?: () => Date;
}

/**
 * Makes the running HAProxy serve what the certificates folder holds, one
 * look at a time, through the runtime API only. A file refused (unreadable,
 * key not matching, refused by HAProxy) leaves what was served before as it
 * was, and is said once, not at every look.
 */
export class CertificateSync {
  private applied: Map<string, string> | undefined;
  private readonly refused = new Map<string, string>();

  constructor(private readonly options: CertificateSyncOptions) {}

  /** One look; resolves to the number of changes HAProxy took. Throws when HAProxy cannot be asked (not started yet). */
  async once(): Promise<number> {
    const { certsDir, store } = this.options;
    const applied = (this.applied ??= await store.read());
    await this.matchRunning(applied);
    const files = await readCertificateFiles(certsDir);
    for (const name of this.refused.keys()) if (files.get(name)?.hash !== this.refused.get(name)) this.refused.delete(name);
    let taken = 0;
    for (const change of planChanges(files, applied, this.refused)) {
      if (await this.apply(change, applied)) taken += 1;
    }
    return taken;
  }

  /**
   * A reload between a runtime change and the file written after it starts
   * a worker on the list before the change: what it names, not our record,
   * is what HAProxy serves. Where they differ the record follows HAProxy
   * (an unknown hash), so the plan adds, replaces or removes again.
   */
  private async matchRunning(applied: Map<string, string>): Promise<void> {
    const { store, admin, log } = this.options;
    const listed = new Set(await listedCertificates(admin, store.crtList));
    const differ: string[] = [];
    for (const name of [...applied.keys()].filter((n) => !listed.has(store.pathOf(n)))) {
      applied.delete(name);
      differ.push(name);
    }
    for (const path of listed) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (path !== store.pathOf(name) || applied.has(name)) continue;
      applied.set(name, '');
      differ.push(name);
    }
    if (differ.length > 0) log('warn', 'HAProxy serves other certificates than recorded (a reload raced a change); applying again', { files: differ.join(',') });
  }

  private async apply(change: CertificateChange, applied: Map<string, string>): Promise<boolean> {
    const { store, admin, log } = this.options;
    if (change.kind === 'remove') {
      await removeCertificate(admin, store.crtList, store.pathOf(change.name));
      applied.delete(change.name);
      await store.forget(change.name);
      await store.writeList(applied.keys());
      log('info', 'certificate removed', { file: change.name });
      return true;
    }
    const { file } = change;
    const problem = CERTIFICATE_NAME.test(file.name) ? pemProblem(file.pem, this.options.now?.()) : `expected a file name of letters, digits, '.', '_' or '-' ending in .pem, got '${file.name}'`;
    if (problem !== undefined) return this.refuse(file, problem);
    try {
      if (change.kind === 'add') await addCertificate(admin, store.crtList, store.pathOf(file.name), file.pem);
      else await replaceCertificate(admin, store.pathOf(file.name), file.pem);
    } catch (error) {
      if (error instanceof CertificateRefused) return this.refuse(file, error.message);
      throw error;
    }
    applied.set(file.name, file.hash);
    await store.keep(file.name, file.pem);
    if (change.kind === 'add') await store.writeList(applied.keys());
    log('info', change.kind === 'add' ? 'certificate added' : 'certificate replaced', { file: file.name, names: namesOf(file.pem) });
    return true;
  }

  private refuse(file: CertificateFile, reason: string): false {
    this.refused.set(file.name, file.hash);
    const kept = this.applied?.has(file.name) ? 'the certificate served before is kept' : 'nothing served for it';
    this.options.log('warn', 'certificate refused', { file: file.name, reason, kept });
    return false;
  }
}

/** The host names a certificate answers for, for the log line. */
function namesOf(pem: string): string | undefined {
  try {
    const certificate = new X509Certificate(pem);
    return certificate.subjectAltName?.replace(/DNS:|IP Address:/g, '').replace(/, /g, ',');
  } catch {
    return undefined;
  }
}
