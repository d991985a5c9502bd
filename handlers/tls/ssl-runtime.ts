// The only module that speaks HAProxy's runtime API for certificates
// (management guide, "new ssl cert", "set ssl cert", "commit ssl cert",
// "add ssl crt-list", "del ssl crt-list", "del ssl cert"). A certificate's
// name in HAProxy is a path; the crt-list is the one the HTTPS bind reads.
import type { AdminCommand } from '../haproxy/admin-socket.ts';

/** HAProxy answered a certificate command with a refusal; the message is its first line. */
export class CertificateRefused extends Error {
  override name = 'CertificateRefused';
}

/**
 * The payload of `set ssl cert <path> <<` ends at the first empty line, and
 * PEM files often have one between the certificate and the key: dropped,
 * like carriage returns, which PEM does not need either.
 */
export function payloadOf(pem: string): string {
  return pem.replace(/\r/g, '').split('\n').filter((line) => line.trim() !== '').join('\n');
}

async function expect(admin: AdminCommand, command: string, success: RegExp, what: string): Promise<void> {
  const answer = await admin(command);
  if (success.test(answer)) return;
  const reason = answer.trim().split('\n').filter(Boolean).join(': ') || 'no answer';
  throw new CertificateRefused(`${what}: ${reason}`);
}

/** A transaction, committed; aborted if HAProxy refuses the commit, so the next try starts clean. */
async function setAndCommit(admin: AdminCommand, path: string, pem: string): Promise<void> {
  await expect(admin, `set ssl cert ${path} <<\n${payloadOf(pem)}\n`, /^Transaction (created|updated)/m, 'set ssl cert refused');
  try {
    await expect(admin, `commit ssl cert ${path}`, /^Success!/m, 'commit ssl cert refused');
  } catch (error) {
    await admin(`abort ssl cert ${path}`).catch(() => {});
    throw error;
  }
}

/** A certificate HAProxy does not hold yet, loaded then served from the crt-list. */
export async function addCertificate(admin: AdminCommand, crtList: string, path: string, pem: string): Promise<void> {
  await expect(admin, `new ssl cert ${path}`, /^New empty certificate store/m, 'new ssl cert refused');
  try {
    await setAndCommit(admin, path, pem);
    await expect(admin, `add ssl crt-list ${crtList} ${path}`, /^Success!/m, 'add ssl crt-list refused');
  } catch (error) {
    // An empty store left behind would make the next `new ssl cert` fail.
    await admin(`del ssl cert ${path}`).catch(() => {});
    throw error;
  }
}

/** New bytes for a certificate HAProxy serves: connections under way keep the old one. */
export function replaceCertificate(admin: AdminCommand, path: string, pem: string): Promise<void> {
  return setAndCommit(admin, path, pem);
}

/** Out of the crt-list first: HAProxy deletes no certificate a bind still uses. */
export async function removeCertificate(admin: AdminCommand, crtList: string, path: string): Promise<void> {
  await expect(admin, `del ssl crt-list ${crtList} ${path}`, /deleted in crtlist|not found|No such/i, 'del ssl crt-list refused');
  await expect(admin, `del ssl cert ${path}`, /deleted!|unknown|No such|not found/i, 'del ssl cert refused');
}

/** The certificates HAProxy's running crt-list names: what it serves, whatever the file on disk says. */
export async function listedCertificates(admin: AdminCommand, crtList: string): Promise<string[]> {
  const answer = await admin(`show ssl crt-list ${crtList}`);
  if (!answer.startsWith('# ')) throw new Error(`show ssl crt-list ${crtList}: expected the list, got '${answer.trim().split('\n')[0]}'`);
  // A line is the certificate's path, then any [options] and SNI filters.
  return answer.split('\n').slice(1).map((line) => line.trim().split(/\s+/)[0]!).filter(Boolean);
}
