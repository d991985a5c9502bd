import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateFile } from '../../../../handlers/tls/certificate-files.ts';
import { planChanges } from '../../../../handlers/tls/plan-changes.ts';

const file = (name: string, hash: string): [string, CertificateFile] => [name, { name, pem: hash, hash }];

test('a new file is added, a changed one replaced, a gone one removed, an unchanged one left', () => {
  const files = new Map([file('new.pem', 'n'), file('changed.pem', 'c2'), file('same.pem', 's')]);
  const applied = new Map([['changed.pem', 'c1'], ['same.pem', 's'], ['gone.pem', 'g']]);
  const plan = planChanges(files, applied, new Map());
  assert.deepEqual(plan.map((c) => `${c.kind} ${c.kind === 'remove' ? c.name : c.file.name}`), ['add new.pem', 'replace changed.pem', 'remove gone.pem']);
});

test('bytes already refused are not tried again; new bytes under the same name are', () => {
  const applied = new Map([['site.pem', 'good']]);
  const refused = new Map([['site.pem', 'broken']]);
  assert.deepEqual(planChanges(new Map([file('site.pem', 'broken')]), applied, refused), []);
  assert.equal(planChanges(new Map([file('site.pem', 'fixed')]), applied, refused)[0]?.kind, 'replace');
});
