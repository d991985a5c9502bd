import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pemProblem } from '../../../../handlers/tls/check-pem.ts';
import { makeCa, makeCertificatePem } from '../../../../harness/tls/certificates.ts';

const ca = makeCa();
const site = makeCertificatePem(ca, ['site.test', 'www.site.test']);
const other = makeCertificatePem(ca, ['other.test']);

test('a certificate followed by its key, or the key first, is servable', () => {
  assert.equal(pemProblem(site.pem), undefined);
  assert.equal(pemProblem(site.key + site.certificate), undefined);
  assert.equal(pemProblem(`${site.certificate}\n${ca.certificate}\n${site.key}`), undefined, 'a chain after the certificate');
});

test('a certificate alone, a key alone or nothing PEM: one line saying what was expected', () => {
  assert.equal(pemProblem(site.certificate), 'expected a certificate and its private key (BEGIN PRIVATE KEY) in one PEM file, found no private key');
  assert.equal(pemProblem(site.key), 'expected a certificate (BEGIN CERTIFICATE) and its private key in one PEM file, found no certificate');
  assert.equal(pemProblem('hello\n'), 'expected a certificate (BEGIN CERTIFICATE) and its private key in one PEM file, found no certificate');
});

test("another certificate's key is refused, naming the certificate", () => {
  assert.equal(pemProblem(site.certificate + other.key), 'expected the private key of the certificate for DNS:site.test, DNS:www.site.test, got another key');
});

test('a certificate cut short does not parse', () => {
  const cut = site.certificate.replace(/\n[A-Za-z0-9+/=]{20,}\n/, '\nAAAA\n');
  const problem = pemProblem(cut + site.key) ?? '';
  assert.match(problem, /^expected a readable certificate, got one that does not parse \(.+\)$/);
  assert.doesNotMatch(problem, /\n/);
});

test('an expired certificate is refused with its end date', () => {
  const later = new Date(Date.now() + 60 * 86_400_000);
  assert.match(pemProblem(site.pem, later) ?? '', /^expected a valid certificate, got the certificate for DNS:site\.test, DNS:www\.site\.test expired on \d{4}-\d\d-\d\dT/);
});
