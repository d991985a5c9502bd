// HTTPS from the first `docker compose up`, nothing set: keygen's local CA
// and certificate for localhost, HTTP/2 over ALPN, TLS 1.2 at least, the
// stats page unchanged; then the user's own certificates folder, changed
// under load: each change served within 5 s, through the runtime API alone
// (no reload), no request failed, a broken file refused while the old
// certificate serves on; and a real browser trusting the generated CA.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeProject } from '../../harness/docker/compose.ts';
import { docker, dockerOk, requireEngine } from '../../harness/docker/docker.ts';
import { ensureImages, HA_IMAGE } from '../../harness/docker/images.ts';
import { waitFor } from '../../harness/docker/wait-for.ts';
import { formatReport, startLoad } from '../../harness/load/load-generator.ts';
import { makeCa, makeCertificatePem } from '../../harness/tls/certificates.ts';
import { servedFingerprint } from '../../harness/tls/served-certificate.ts';
import { dumpDom, requireChromium, screenshot } from '../../lab/browser.ts';

function run(command: string, args: string[], input = ''): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` });
    });
    // The command may exit before it reads its input (curl refused while ha waits for its pool).
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

/** `curl --cacert` as the docs show it; resolves to "<status> <HTTP version>". */
async function curlHttps(url: string, caFile: string): Promise<string> {
  const result = await run('curl', ['-sS', '--http2', '--cacert', caFile, '-o', '/dev/null', '-w', '%{http_code} %{http_version}', url]);
  return result.out.trim();
}

/** HAProxy's master says this once at start and once per reload. */
const workersStarted = (log: string): number => (log.match(/New worker \(\d+\) forked/g) ?? []).length;

const fingerprint = (pem: string): string => new X509Certificate(pem).fingerprint256;

describe('HTTPS from the first docker compose up, and certificates changed at run time', () => {
  let certsDir: string;
  let stack: ComposeProject;
  let port: number;
  let caFile: string;
  let generatedCa: string;

  before(async () => {
    await requireEngine();
    certsDir = await mkdtemp(join(tmpdir(), 'lb-certs-'));
    caFile = join(certsDir, '..', `${certsDir.split('/').pop()}-ca.crt`);
    stack = new ComposeProject('https', { LB_CERTS_DIR: certsDir });
    await stack.up(2);
    await waitFor('2 alive backends', () => stack.aliveBackends(), (b) => b.length === 2);
    port = await stack.port('ha', 443);
    // The command docs/https.md gives, exactly.
    generatedCa = await stack.run(['exec', 'ha', 'cat', '/run/cluster-keys/tls/ca.crt']);
    await writeFile(caFile, generatedCa);
  });
  after(async () => {
    await stack?.down();
    await rm(certsDir, { recursive: true, force: true });
    await rm(caFile, { force: true });
  });

  test('curl --cacert <the CA> --http2 gets 200 over HTTP/2 at localhost and 127.0.0.1', async () => {
    await waitFor('HTTPS to answer', () => curlHttps(`https://localhost:${port}/`, caFile), (r) => r.startsWith('200'), 30_000);
    assert.equal(await curlHttps(`https://localhost:${port}/`, caFile), '200 2');
    assert.equal(await curlHttps(`https://127.0.0.1:${port}/`, caFile), '200 2');
  });

  test('TLS 1.0 and 1.1 are refused, 1.2 and 1.3 accepted', async () => {
    const handshake = async (version: string) => {
      // SECLEVEL=0: the client would offer the old versions; only the server refuses.
      const result = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', `-${version}`, '-cipher', 'DEFAULT@SECLEVEL=0'], '');
      return /^\s*Protocol\s*: TLSv1\.[0-3]$/m.test(result.out) && !/Cipher is \(NONE\)/.test(result.out);
    };
    assert.deepEqual(
      { tls1: await handshake('tls1'), tls1_1: await handshake('tls1_1'), tls1_2: await handshake('tls1_2'), tls1_3: await handshake('tls1_3') },
      { tls1: false, tls1_1: false, tls1_2: true, tls1_3: true },
    );
  });

  test('the stats page and /metrics stay plain HTTP on their port', async () => {
    const stats = await stack.port('ha', 1936);
    const metrics = await fetch(`http://127.0.0.1:${stats}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^haproxy_process_/m);
  });

  test('key files are readable by root only; the CA certificate by all; the CA key was not kept', async () => {
    const modes = await stack.run(['exec', '-T', 'ha', 'sh', '-c', 'stat -c "%n %a %U" /run/cluster-keys/tls/* /run/haproxy/tls/crt-list']);
    assert.equal(modes.trim(), ['/run/cluster-keys/tls/ca.crt 644 root', '/run/cluster-keys/tls/server.pem 600 root', '/run/haproxy/tls/crt-list 600 root'].join('\n'));
  });

  test('no private key in the ha image', async () => {
    const found = await run('docker', ['run', '--rm', '--entrypoint', 'sh', stack.haImage, '-c', "grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' /etc /opt /usr/local /run /var /root 2>/dev/null; true"]);
    assert.equal(found.out.trim(), '');
  });

  test('own certificate for localhost: added, replaced, broken, removed, under load, without a reload or a failed request', async (t) => {
    const testCa = makeCa();
    const first = makeCertificatePem(testCa, ['localhost']);
    const renewed = makeCertificatePem(testCa, ['localhost']);
    const file = join(certsDir, 'localhost.pem');
    const served = () => servedFingerprint(port, 'localhost');
    const generated = await served();
    const reloadsBefore = workersStarted(await stack.logs('ha'));
    // New connections all along, so every handshake meets whichever certificate is current.
    const load = startLoad({ url: `https://localhost:${port}/`, rate: 40, connections: 40, keepAlive: false, timeoutMs: 5000, ca: generatedCa + testCa.certificate });

    await writeFile(file, first.pem);
    await waitFor('the new certificate served', served, (f) => f === fingerprint(first.certificate), 5000);
    const caBoth = join(certsDir, '..', `${certsDir.split('/').pop()}-both.crt`);
    await writeFile(caBoth, testCa.certificate);
    assert.equal(await curlHttps(`https://localhost:${port}/`, caBoth), '200 2');
    await rm(caBoth);

    await writeFile(file, renewed.pem);
    await waitFor('the renewed certificate served', served, (f) => f === fingerprint(renewed.certificate), 5000);

    await writeFile(file, renewed.certificate + first.key);
    const refusal = await waitFor('the refusal in the log', () => stack.logs('ha'), (l) => l.includes('msg="certificate refused" file=localhost.pem'), 5000);
    assert.match(refusal, /reason="expected the private key of the certificate for DNS:localhost, got another key" kept="the certificate served before is kept"/);
    assert.equal(await served(), fingerprint(renewed.certificate));

    await rm(file);
    await waitFor('the generated certificate served again', served, (f) => f === generated, 5000);

    const report = await load.stop();
    t.diagnostic(formatReport(report).split('\n')[0]!);
    assert.ok(report.ok > 100, formatReport(report));
    assert.equal(report.failed, 0, formatReport(report));
    const log = await stack.logs('ha');
    assert.equal(workersStarted(log), reloadsBefore, 'no reload');
    assert.equal((log.match(/msg="certificate (added|replaced|removed)"/g) ?? []).length, 3);
  });

  test('Chromium, with the generated CA in its NSS database, opens https://localhost: and the page is the web app', async () => {
    requireChromium();
    const home = await mkdtemp(join(tmpdir(), 'lb-chromium-home-'));
    try {
      const untrusted = await dumpDom(`https://localhost:${port}/`, 60_000, home).catch((error: Error) => error.message);
      assert.doesNotMatch(untrusted, /Hello from/, 'without the CA the page is not shown');
      const nssdb = `sql:${join(home, '.pki', 'nssdb')}`;
      await run('mkdir', ['-p', join(home, '.pki', 'nssdb')]);
      assert.equal((await run('certutil', ['-N', '--empty-password', '-d', nssdb])).code, 0);
      assert.equal((await run('certutil', ['-A', '-n', 'serf-haproxy-autoscale local CA', '-t', 'C,,', '-i', caFile, '-d', nssdb])).code, 0);
      assert.match(await dumpDom(`https://localhost:${port}/`, 60_000, home), /Hello from/);
      // HTTPS_SCREENSHOT=docs/https-chromium.png keeps it; by default a temp file.
      const png = process.env.HTTPS_SCREENSHOT || join(home, 'https.png');
      assert.deepEqual(await screenshot(`https://localhost:${port}/`, png, { width: 900, height: 300 }, 60_000, home), { width: 900, height: 300 });
      assert.ok((await stat(png)).size > 1000);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('LB_HTTPS_REDIRECT=1 and LB_HSTS=1, and what the run script refuses', () => {
  const container = `lbe2e-redirect-${process.pid}`;
  let http: number;
  let https: number;

  before(async () => {
    await ensureImages();
    // ha alone: the redirect and the header come before any backend is needed.
    await dockerOk(['run', '-d', '--name', container, '-e', 'SERF_INSECURE=1', '-e', 'LB_HTTPS_REDIRECT=1', '-e', 'LB_HSTS=1', '-e', 'LB_HTTPS_PORT=8443', '-p', '127.0.0.1::80', '-p', '127.0.0.1::443', HA_IMAGE]);
    const published = async (p: number) => Number((await dockerOk(['port', container, String(p)])).trim().split('\n')[0]!.split(':').pop());
    http = await published(80);
    https = await published(443);
  });
  after(() => docker(['rm', '-f', container]));

  test('HTTP answers 301 to the same host and path on the published HTTPS port', async () => {
    const head = await waitFor('HAProxy to answer', () => run('curl', ['-sS', '-o', '/dev/null', '-D', '-', `http://localhost:${http}/some/path?x=1`]), (r) => r.code === 0, 30_000);
    assert.match(head.out, /^HTTP\/1\.1 301/);
    assert.match(head.out, /^location: https:\/\/localhost:8443\/some\/path\?x=1\r?$/im);
    assert.doesNotMatch(head.out, /strict-transport-security/i, 'HSTS is for HTTPS answers only');
  });

  test('HTTPS answers carry Strict-Transport-Security, even HAProxy\'s own 503', async () => {
    // -k: which certificate is not the question here (no keys volume: one made at start).
    const head = await waitFor('HTTPS to answer', () => run('curl', ['-sSk', '-o', '/dev/null', '-D', '-', `https://localhost:${https}/`]), (r) => r.code === 0, 30_000);
    assert.match(head.out, /^strict-transport-security: max-age=63072000\r?$/im);
  });

  test('a switch that is not 1, 0 or empty, or a redirect with no port, stops HAProxy with one line', async () => {
    const runScript = (env: string[]) => docker(['run', '--rm', ...env.flatMap((e) => ['-e', e]), '--entrypoint', 'sh', HA_IMAGE, '/etc/services.d/haproxy/run']);
    const hsts = await runScript(['LB_HSTS=yes']);
    assert.equal(hsts.code, 1);
    assert.equal(hsts.stdout, "LB_HSTS must be 1 (on), 0 or empty (off), got 'yes'\n");
    const port = await runScript(['LB_HTTPS_REDIRECT=1', 'LB_HTTPS_PORT=https']);
    assert.equal(port.code, 1);
    assert.equal(port.stdout, "LB_HTTPS_PORT must be the published HTTPS port (1-65535) when LB_HTTPS_REDIRECT=1, got 'https'\n");
  });
});
