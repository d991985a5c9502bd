import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashOf, readCertificateFiles } from '../../../../handlers/tls/certificate-files.ts';
import { tempDir } from '../../../fakes.ts';

test('reads every *.pem file, following links, and nothing else', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'b.pem'), 'B');
  await writeFile(join(dir, 'a.pem'), 'A');
  await writeFile(join(dir, 'README.md'), 'docs');
  await writeFile(join(dir, '.gitkeep'), '');
  await writeFile(join(dir, '.c.pem.tmp'), 'half');
  await writeFile(join(dir, '.hidden.pem'), 'half');
  await mkdir(join(dir, 'sub.pem'));
  await writeFile(join(dir, 'real'), 'L');
  await symlink(join(dir, 'real'), join(dir, 'linked.pem'));
  const files = await readCertificateFiles(dir);
  assert.deepEqual([...files.keys()], ['a.pem', 'b.pem', 'linked.pem']);
  assert.deepEqual(files.get('linked.pem'), { name: 'linked.pem', pem: 'L', hash: hashOf('L') });
});

test('a missing folder holds no certificate', async (t) => {
  const dir = await tempDir(t);
  assert.equal((await readCertificateFiles(join(dir, 'none'))).size, 0);
});

test('a dangling link counts as a removed file', async (t) => {
  const dir = await tempDir(t);
  await symlink(join(dir, 'gone'), join(dir, 'site.pem'));
  assert.equal((await readCertificateFiles(dir)).size, 0);
});
