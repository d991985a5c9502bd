import { createPrivateKey, X509Certificate } from 'node:crypto';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]+?-----END (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Why HAProxy could not serve this file, in one line, or undefined when it
 * can: the certificate first (its chain may follow), its private key in the
 * same file, the two matching, not expired. Checked before the runtime API
 * is asked, so the reason names what is wrong in the user's words; HAProxy
 * still has the last word.
 */
export function pemProblem(pem: string, now = new Date()): string | undefined {
  const certificates = pem.match(CERTIFICATE) ?? [];
  const keyText = PRIVATE_KEY.exec(pem)?.[0];
  if (certificates.length === 0) return 'expected a certificate (BEGIN CERTIFICATE) and its private key in one PEM file, found no certificate';
  if (keyText === undefined) return 'expected a certificate and its private key (BEGIN PRIVATE KEY) in one PEM file, found no private key';
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificates[0]!);
  } catch (error) {
    return `expected a readable certificate, got one that does not parse (${firstLine(error)})`;
  }
  let key;
  try {
    key = createPrivateKey(keyText);
  } catch (error) {
    return `expected a readable private key, got one that does not parse (${firstLine(error)})`;
  }
  if (!certificate.checkPrivateKey(key)) return `expected the private key of ${subjectOf(certificate)}, got another key`;
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= now.getTime()) return `expected a valid certificate, got ${subjectOf(certificate)} expired on ${notAfter.toISOString()}`;
  return undefined;
}

function subjectOf(certificate: X509Certificate): string {
  return certificate.subjectAltName ? `the certificate for ${certificate.subjectAltName}` : `the certificate of ${certificate.subject.replace(/\n/g, ', ')}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
