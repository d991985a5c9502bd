import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { formatReport, startLoad, type LoadOptions } from '../../../../harness/load/load-generator.ts';
import { makeCa, makeCertificatePem } from '../../../../harness/tls/certificates.ts';

const ca = makeCa();
const localhost = makeCertificatePem(ca, ['localhost', '127.0.0.1']);

/** An HTTPS server on 127.0.0.1 that records the SNI each connection sent. */
async function listen(t: import('node:test').TestContext): Promise<{ port: number; sni: unknown[] }> {
  const sni: unknown[] = [];
  const server = https.createServer({ cert: localhost.certificate, key: localhost.key }, (_request, response) => response.end('ok'));
  server.on('secureConnection', (socket) => sni.push((socket as unknown as { servername: unknown }).servername));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, sni };
}

const options = (url: string, overrides: Partial<LoadOptions> = {}): LoadOptions =>
  ({ url, rate: 100, durationMs: 200, connections: 5, keepAlive: true, timeoutMs: 2000, ca: ca.certificate, ...overrides });

test('https: every request ok with the CA given, SNI from the URL\'s name, none for an IP', async (t) => {
  const server = await listen(t);
  const byName = await startLoad(options(`https://localhost:${server.port}/`)).done;
  assert.equal(byName.failed, 0, formatReport(byName));
  assert.equal(byName.ok, byName.sent);
  assert.deepEqual(new Set(server.sni), new Set(['localhost']));
  server.sni.length = 0;
  const byIp = await startLoad(options(`https://127.0.0.1:${server.port}/`, { keepAlive: false })).done;
  assert.equal(byIp.failed, 0, formatReport(byIp));
  assert.deepEqual(new Set(server.sni), new Set([false]));
});

test('https: a certificate from another CA fails every request', async (t) => {
  const server = await listen(t);
  const report = await startLoad(options(`https://localhost:${server.port}/`, { ca: makeCa('another CA').certificate })).done;
  assert.equal(report.ok, 0);
  assert.equal(report.failures.other, report.sent, formatReport(report));
});

test('https without the CA is refused before any request', () => {
  assert.throws(() => startLoad(options('https://127.0.0.1:1/', { ca: undefined })), {
    message: 'Expected `ca` (the CA certificate, PEM) with an https: url, got none for `https://127.0.0.1:1/`',
  });
});
