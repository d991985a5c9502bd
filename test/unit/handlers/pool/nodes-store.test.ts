import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from '../../../../handlers/pool/server.ts';
import { applyChanges, listFiles, serverFile, readStore, saveStore } from '../../../../handlers/pool/nodes-store.ts';
import { InvalidMember } from '../../../../handlers/members/validate-member.ts';
import { tempDir } from '../../../fakes.ts';

function backend(name: string, address = '10.0.0.5', extra: Partial<Server> = {}): Server {
  return { name, address, port: 3000, weight: 1, tags: { role: 'backend' }, updated: '2026-01-01T00:00:00.000Z', ...extra };
}

async function nodesDir(t: import('node:test').TestContext): Promise<string> {
  const dir = join(await tempDir(t), 'nodes');
  await mkdir(dir);
  return dir;
}

test('a saved backend is one <name>.json with its fields, and reads back the same', async (t) => {
  const dir = await nodesDir(t);
  const web1 = backend('web1', '10.0.0.5', { port: 3001, weight: 5, tags: { port: '3001', role: 'backend' } });
  assert.equal(await saveStore(dir, [], [web1]), 1);
  assert.deepEqual(await readdir(dir), ['web1.json']);
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'web1.json'), 'utf8')), web1);
  assert.deepEqual(await readStore(dir), { servers: [web1], problems: [] });
});

test('saving many backends leaves no temp files', async (t) => {
  const dir = await nodesDir(t);
  const many = Array.from({ length: 30 }, (_, i) => backend(`web${i}`, `10.0.0.${i}`));
  assert.equal(await saveStore(dir, [], many), 30);
  const files = await readdir(dir);
  assert.equal(files.length, 30);
  assert.deepEqual(files.filter((f) => !/^web\d+\.json$/.test(f)), []);
});

test('a member back with a new address replaces its old entry', async (t) => {
  const dir = await nodesDir(t);
  const before = [backend('web1', '10.0.0.5')];
  await saveStore(dir, [], before);
  const after = applyChanges(before, [{ kind: 'put', server: backend('web1', '10.0.0.9', { updated: 'later' }) }]);
  assert.deepEqual(after.map((b) => b.address), ['10.0.0.9']);
  assert.equal(await saveStore(dir, before, after), 1);
  assert.deepEqual(await readdir(dir), ['web1.json']);
  assert.equal((await readStore(dir)).servers[0]?.address, '10.0.0.9');
});

test('an unchanged backend keeps its old updated time and its file is not rewritten', async (t) => {
  const dir = await nodesDir(t);
  const before = [backend('web1')];
  const after = applyChanges(before, [{ kind: 'put', server: backend('web1', '10.0.0.5', { updated: 'later' }) }]);
  assert.equal(after[0], before[0]);
  assert.equal(await saveStore(dir, before, after), 0);
  assert.deepEqual(await readdir(dir), []);
});

test('removal deletes the file; removing an unknown name is harmless', async (t) => {
  const dir = await nodesDir(t);
  const before = [backend('web1'), backend('web2', '10.0.0.6')];
  await saveStore(dir, [], before);
  const after = applyChanges(before, [{ kind: 'remove', name: 'web1' }, { kind: 'remove', name: 'never-seen' }]);
  assert.deepEqual(after.map((b) => b.name), ['web2']);
  assert.equal(await saveStore(dir, before, after), 1);
  assert.deepEqual(await readdir(dir), ['web2.json']);
});

test('a file already removed by someone else is not an error', async (t) => {
  const dir = await nodesDir(t);
  assert.equal(await saveStore(dir, [backend('web1')], []), 0);
});

test('applyChanges returns the set sorted by name whatever the order of changes', () => {
  const after = applyChanges([backend('m')], [
    { kind: 'put', server: backend('z') },
    { kind: 'put', server: backend('a') },
    { kind: 'put', server: backend('B') },
  ]);
  assert.deepEqual(after.map((b) => b.name), ['B', 'a', 'm', 'z']);
});

test('readStore returns backends sorted by name', async (t) => {
  const dir = await nodesDir(t);
  await saveStore(dir, [], [backend('web10'), backend('web2'), backend('a-b'), backend('a')]);
  assert.deepEqual((await readStore(dir)).servers.map((b) => b.name), ['a', 'a-b', 'web10', 'web2']);
});

test('readStore of a directory that does not exist is empty and creates nothing', async (t) => {
  const parent = await tempDir(t);
  assert.deepEqual(await readStore(join(parent, 'nodes')), { servers: [], problems: [] });
  assert.deepEqual(await readdir(parent), []);
});

test('bad files are skipped and reported; dot files and other extensions are not backends', async (t) => {
  const dir = await nodesDir(t);
  await saveStore(dir, [], [backend('good')]);
  const write = (file: string, text: string) => writeFile(join(dir, file), text);
  await write('broken.json', '{"name": "broken",');
  await write('array.json', '[]');
  await write('null.json', 'null');
  await write('renamed.json', JSON.stringify(backend('other')));
  await write('badaddr.json', JSON.stringify(backend('badaddr', 'evil.example')));
  await write('badport.json', JSON.stringify(backend('badport', '10.0.0.1', { port: 0 })));
  await write('badweight.json', JSON.stringify(backend('badweight', '10.0.0.1', { weight: 257 })));
  await write('strport.json', JSON.stringify({ ...backend('strport'), port: '3000' }));
  await write('.lock', '123');
  await write('.reload-pending', '');
  await write('README.txt', 'not a backend');
  await mkdir(join(dir, 'dir.json'));
  const { servers, problems } = await readStore(dir);
  assert.deepEqual(servers.map((b) => b.name), ['good']);
  assert.deepEqual(problems.map((p) => p.file), [
    'array.json', 'badaddr.json', 'badport.json', 'badweight.json', 'broken.json', 'dir.json', 'null.json', 'renamed.json', 'strport.json',
  ]);
  const reasons = problems.map((p) => `${p.file}: ${p.reason}`);
  assert.ok(reasons.includes('renamed.json: name "other" does not match the file name'));
  assert.ok(reasons.includes('badport.json: port out of range'));
  assert.ok(reasons.includes('badaddr.json: address must be an IPv4 or IPv6 literal, got "evil.example"'));
  for (const reason of reasons) assert.ok(!reason.includes('\n'), `one line: ${reason}`);
});

test('a stored file naming a hostile member is reported, never rendered', async (t) => {
  const dir = await nodesDir(t);
  await writeFile(join(dir, 'x.json'), JSON.stringify(backend('x\n    server evil 6.6.6.6:80')));
  const { servers, problems } = await readStore(dir);
  assert.deepEqual(servers, []);
  assert.equal(problems.length, 1);
});

test('serverFile refuses a name that would leave the nodes directory', () => {
  assert.equal(serverFile('/nodes', 'web1'), '/nodes/web1.json');
  assert.throws(() => serverFile('/nodes', '../../etc/passwd'), InvalidMember);
  assert.throws(() => serverFile('/nodes', 'a/b'), InvalidMember);
});

test('given the listing a run already made, the store reads the servers it names and lists nothing again', async (t) => {
  const dir = await nodesDir(t);
  await saveStore(dir, [], [backend('web1'), backend('web2', '10.0.0.6')]);
  const listing = await listFiles(dir);
  assert.deepEqual(listing.sort(), ['web1.json', 'web2.json']);
  // A file written after the listing is not read: the run holds the lock, so only it could have written one.
  await saveStore(dir, [], [backend('web3', '10.0.0.7')]);
  assert.deepEqual((await readStore(dir, listing)).servers.map((s) => s.name), ['web1', 'web2']);
  assert.deepEqual((await readStore(dir)).servers.map((s) => s.name), ['web1', 'web2', 'web3']);
  assert.deepEqual(await listFiles(join(dir, 'missing')), []);
});
