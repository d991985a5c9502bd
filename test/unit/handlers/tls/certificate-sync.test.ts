import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdminSocketUnavailable } from '../../../../handlers/haproxy/admin-socket.ts';
import { createLog } from '../../../../handlers/os/log.ts';
import { AppliedStore } from '../../../../handlers/tls/applied-store.ts';
import { CertificateSync } from '../../../../handlers/tls/certificate-sync.ts';
import { payloadOf } from '../../../../handlers/tls/ssl-runtime.ts';
import { FakeSslRuntime } from '../../../../harness/haproxy/fake-ssl-runtime.ts';
import { makeCa, makeCertificatePem } from '../../../../harness/tls/certificates.ts';
import { tempDir } from '../../../fakes.ts';

const ca = makeCa();
const site = makeCertificatePem(ca, ['site.test']);
const renewed = makeCertificatePem(ca, ['site.test']);
const other = makeCertificatePem(ca, ['other.test']);

async function world(t: TestContext) {
  const dir = await tempDir(t);
  const certsDir = join(dir, 'certs');
  const tlsDir = join(dir, 'tls');
  await mkdir(certsDir);
  await mkdir(join(tlsDir, 'certs'), { recursive: true });
  await writeFile(join(tlsDir, 'crt-list'), '');
  const store = new AppliedStore(tlsDir);
  const haproxy = new FakeSslRuntime(store.crtList);
  const lines: string[] = [];
  const log = createLog({ write: (text: string | Uint8Array) => lines.push(String(text).trimEnd()) }, 'certificates');
  const sync = (admin = haproxy.command) => new CertificateSync({ certsDir, store, admin, log });
  const put = (name: string, pem: string) => writeFile(join(certsDir, name), pem);
  /** Commands that change HAProxy: every look also reads its crt-list. */
  const changesSent = () => haproxy.commands.filter((c) => !c.startsWith('show ')).length;
  return { certsDir, tlsDir, store, haproxy, lines, sync, put, changesSent };
}

test('a file added is served, copied for reloads (root only) and listed in crt-list', async (t) => {
  const w = await world(t);
  await w.put('site.pem', site.pem);
  assert.equal(await w.sync().once(), 1);
  const path = w.store.pathOf('site.pem');
  assert.equal(w.haproxy.served(w.store.crtList).get(path), payloadOf(site.pem));
  assert.equal(await readFile(w.store.crtList, 'utf8'), `${path}\n`);
  assert.equal(await readFile(path, 'utf8'), site.pem);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.match(w.lines.join('\n'), /level=info component=certificates msg="certificate added" file=site.pem names=site.test/);
});

test('a file replaced is committed under the same name; unchanged, nothing is sent again', async (t) => {
  const w = await world(t);
  const sync = w.sync();
  await w.put('site.pem', site.pem);
  await sync.once();
  await w.put('site.pem', renewed.pem);
  assert.equal(await sync.once(), 1);
  const sent = w.changesSent();
  assert.equal(await sync.once(), 0);
  assert.equal(w.changesSent(), sent);
  assert.equal(w.haproxy.served(w.store.crtList).get(w.store.pathOf('site.pem')), payloadOf(renewed.pem));
  assert.equal(await readFile(w.store.pathOf('site.pem'), 'utf8'), renewed.pem);
});

test('a file removed leaves HAProxy, the copy and the crt-list', async (t) => {
  const w = await world(t);
  const sync = w.sync();
  await w.put('site.pem', site.pem);
  await w.put('other.pem', other.pem);
  await sync.once();
  await rm(join(w.certsDir, 'site.pem'));
  assert.equal(await sync.once(), 1);
  assert.deepEqual([...w.haproxy.served(w.store.crtList).keys()], [w.store.pathOf('other.pem')]);
  assert.equal(await readFile(w.store.crtList, 'utf8'), `${w.store.pathOf('other.pem')}\n`);
  await assert.rejects(stat(w.store.pathOf('site.pem')), { code: 'ENOENT' });
});

test('a broken replacement is refused once, in one line, and the old certificate keeps serving', async (t) => {
  const w = await world(t);
  const sync = w.sync();
  await w.put('site.pem', site.pem);
  await sync.once();
  await w.put('site.pem', site.certificate + other.key);
  assert.equal(await sync.once(), 0);
  assert.equal(await sync.once(), 0);
  const refusals = w.lines.filter((l) => l.includes('certificate refused'));
  assert.deepEqual(refusals, ['level=warn component=certificates msg="certificate refused" file=site.pem reason="expected the private key of the certificate for DNS:site.test, got another key" kept="the certificate served before is kept"']);
  assert.equal(w.haproxy.served(w.store.crtList).get(w.store.pathOf('site.pem')), payloadOf(site.pem));
  assert.equal(await readFile(w.store.pathOf('site.pem'), 'utf8'), site.pem);
});

test("HAProxy's own refusal is said with its reason, and nothing is listed", async (t) => {
  const w = await world(t);
  w.haproxy.refusals.set('commit ssl cert', 'unable to load the certificate chain');
  await w.put('site.pem', site.pem);
  assert.equal(await w.sync().once(), 0);
  assert.match(w.lines.join('\n'), /msg="certificate refused" file=site.pem reason="commit ssl cert refused: unable to load the certificate chain" kept="nothing served for it"/);
  assert.equal(await readFile(w.store.crtList, 'utf8'), '');
  assert.equal(w.haproxy.store.size, 0);
});

test('a name HAProxy could not take as one word is refused', async (t) => {
  const w = await world(t);
  await w.put('my site.pem', site.pem);
  assert.equal(await w.sync().once(), 0);
  assert.match(w.lines.join('\n'), /reason="expected a file name of letters, digits, '\.', '_' or '-' ending in \.pem, got 'my site\.pem'"/);
});

test('a restarted watcher starts from the crt-list on disk: nothing sent for what HAProxy already loaded', async (t) => {
  const w = await world(t);
  await w.put('site.pem', site.pem);
  await w.sync().once();
  const sent = w.changesSent();
  assert.equal(await w.sync().once(), 0);
  assert.equal(w.changesSent(), sent);
});

test('HAProxy not listening yet: the look fails as such, and the next one applies', async (t) => {
  const w = await world(t);
  await w.put('site.pem', site.pem);
  let up = false;
  const sync = w.sync((command) => (up ? w.haproxy.command(command) : Promise.reject(new AdminSocketUnavailable('admin socket: ENOENT'))));
  await assert.rejects(sync.once(), AdminSocketUnavailable);
  up = true;
  assert.equal(await sync.once(), 1);
});

test('a reload that lost an added certificate (the list file written after it): the next look adds it again', async (t) => {
  const w = await world(t);
  const sync = w.sync();
  await w.put('site.pem', site.pem);
  await sync.once();
  const path = w.store.pathOf('site.pem');
  // The new worker started on the list from before the change.
  w.haproxy.crtLists.set(w.store.crtList, []);
  w.haproxy.store.clear();
  assert.equal(await sync.once(), 1);
  assert.equal(w.haproxy.served(w.store.crtList).get(path), payloadOf(site.pem));
  assert.match(w.lines.join('\n'), /level=warn .*a reload raced a change.* files=site.pem/);
});

test('a reload that kept a removed certificate: the next look removes it again', async (t) => {
  const w = await world(t);
  const sync = w.sync();
  await w.put('site.pem', site.pem);
  await sync.once();
  await rm(join(w.certsDir, 'site.pem'));
  await sync.once();
  const path = w.store.pathOf('site.pem');
  w.haproxy.store.set(path, payloadOf(site.pem));
  w.haproxy.crtLists.get(w.store.crtList)!.push(path);
  assert.equal(await sync.once(), 1);
  assert.equal(w.haproxy.served(w.store.crtList).size, 0);
});
