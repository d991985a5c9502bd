import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCertificate, CertificateRefused, listedCertificates, payloadOf, removeCertificate, replaceCertificate } from '../../../../handlers/tls/ssl-runtime.ts';
import { FakeSslRuntime } from '../../../../harness/haproxy/fake-ssl-runtime.ts';

const LIST = '/run/haproxy/tls/crt-list';
const PATH = '/run/haproxy/tls/certs/site.pem';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n\n-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';

test('the payload loses empty lines and carriage returns, which would end it early', () => {
  assert.equal(payloadOf('a\r\n\r\nb\n\n'), 'a\nb');
});

test('add: new store, transaction, commit, then into the crt-list, in that order', async () => {
  const haproxy = new FakeSslRuntime(LIST);
  await addCertificate(haproxy.command, LIST, PATH, PEM);
  assert.deepEqual(haproxy.commands.map((c) => c.split('\n')[0]), [
    `new ssl cert ${PATH}`, `set ssl cert ${PATH} <<`, `commit ssl cert ${PATH}`, `add ssl crt-list ${LIST} ${PATH}`,
  ]);
  assert.equal(haproxy.served(LIST).get(PATH), payloadOf(PEM));
});

test('a refused commit is aborted and the empty store deleted, so the next try starts clean', async () => {
  const haproxy = new FakeSslRuntime(LIST);
  const noKey = PEM.replace(/-----BEGIN PRIVATE[\s\S]*/, '');
  await assert.rejects(addCertificate(haproxy.command, LIST, PATH, noKey), (error: Error) => {
    assert.ok(error instanceof CertificateRefused);
    assert.equal(error.message, `commit ssl cert refused: inconsistencies between private key and certificate loaded '${PATH}'.: Can't commit ${PATH}!`);
    return true;
  });
  assert.deepEqual(haproxy.commands.slice(-2), [`abort ssl cert ${PATH}`, `del ssl cert ${PATH}`]);
  assert.equal(haproxy.store.size, 0);
  await addCertificate(haproxy.command, LIST, PATH, PEM);
  assert.equal(haproxy.served(LIST).size, 1);
});

test('replace commits new bytes under the same name; a refused payload leaves the old ones', async () => {
  const haproxy = new FakeSslRuntime(LIST);
  await addCertificate(haproxy.command, LIST, PATH, PEM);
  await assert.rejects(replaceCertificate(haproxy.command, PATH, 'garbage'), /^CertificateRefused: set ssl cert refused: unable to load certificate/);
  assert.equal(haproxy.served(LIST).get(PATH), payloadOf(PEM));
  const renewed = PEM.replace('MIIB', 'MIIC');
  await replaceCertificate(haproxy.command, PATH, renewed);
  assert.equal(haproxy.served(LIST).get(PATH), payloadOf(renewed));
});

test('remove: out of the crt-list, then out of the store', async () => {
  const haproxy = new FakeSslRuntime(LIST);
  await addCertificate(haproxy.command, LIST, PATH, PEM);
  await removeCertificate(haproxy.command, LIST, PATH);
  assert.deepEqual(haproxy.commands.slice(-2), [`del ssl crt-list ${LIST} ${PATH}`, `del ssl cert ${PATH}`]);
  assert.equal(haproxy.store.size, 0);
});

test("the running crt-list, read from HAProxy's answer (paths, options and filters after them)", async () => {
  const answer = `# ${LIST}\n${PATH}\n/run/haproxy/tls/certs/b.pem [alpn h2] b.test\n\n`;
  assert.deepEqual(await listedCertificates(async () => answer, LIST), [PATH, '/run/haproxy/tls/certs/b.pem']);
  await assert.rejects(listedCertificates(async () => "didn't find crt-list\n", LIST), /expected the list, got 'didn't find crt-list'/);
});
