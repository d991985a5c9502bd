// Certificates for the tests, made by the host's openssl in a temp folder:
// a CA, and PEM files (certificate then key) it signs, like those a user or
// an ACME client drops in the certificates folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  /** The CA's certificate, for `curl --cacert` and the load generator. */
  certificate: string;
  key: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc'];

function inTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lb-tls-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(name = 'lb test CA'): TestCa {
  return inTempDir((dir) => {
    openssl(dir, ['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', `/CN=${name}`]);
    return { certificate: readFileSync(join(dir, 'ca.crt'), 'utf8'), key: readFileSync(join(dir, 'ca.key'), 'utf8') };
  });
}

/** A PEM file's text for `names` (host names, or IPs), signed by `ca`. */
export function makeCertificatePem(ca: TestCa, names: string[], days = 30): { pem: string; certificate: string; key: string } {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'ca.crt'), ca.certificate);
    writeFileSync(join(dir, 'ca.key'), ca.key);
    const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    writeFileSync(join(dir, 'ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    openssl(dir, ['req', '-new', ...EC, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${names[0]}`]);
    openssl(dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-days', String(days), '-extfile', 'ext', '-out', 'leaf.crt']);
    const certificate = readFileSync(join(dir, 'leaf.crt'), 'utf8');
    const key = readFileSync(join(dir, 'leaf.key'), 'utf8');
    return { pem: certificate + key, certificate, key };
  });
}
