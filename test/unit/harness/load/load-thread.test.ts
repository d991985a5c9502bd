import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOAD_THREAD_NICE, startLoadThread } from '../../../../harness/load/load-thread.ts';
import { makeCpuGroup } from '../../../../harness/load/thread-cpu-group.ts';

/** A real server on 127.0.0.1 that names itself in `x-backend` as the web app does. */
async function listen(backend: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => response.setHeader('x-backend', backend).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

test('a load on its own thread reports when it started, first responses as they come, and its whole tally on stop', { timeout: 15_000 }, async (t) => {
  const server = await listen('web7');
  t.after(() => server.close());
  const mainThreadNice = getPriority();
  const asked = Date.now();
  const load = startLoadThread({ url: server.url, rate: 100, connections: 5, keepAlive: false, timeoutMs: 2000 });
  for (let waited = 0; load.firstSeen().web7 === undefined; waited += 10) {
    assert.ok(waited < 5000, 'expected a first response from web7 within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Times in the report count from the thread's own start, which comes after the call: it is told apart.
  const startedAt = await load.started;
  assert.ok(startedAt >= asked, `started ${startedAt - asked} ms after it was asked`);
  assert.ok(startedAt + load.firstSeen().web7! <= Date.now(), 'a first response stamped after it happened');
  const priority = await load.priority();
  // Root on cgroup v1 (CI's machine): a group of its own holding the load's thread and no other; elsewhere, why not.
  const cpuGroup = await load.cpuGroup();
  const dir = /^cpu group (\S+) \(cpu\.shares 8192\)$/.exec(cpuGroup)?.[1];
  if (dir !== undefined) {
    const tasks = readFileSync(join(dir, 'tasks'), 'utf8').trim().split('\n');
    assert.equal(tasks.length, 1, `one thread in ${dir}, got ${tasks.join(' ')}`);
    assert.notEqual(tasks[0], String(process.pid), 'the main thread stays where it was');
  } else {
    assert.match(cpuGroup, /^no CPU group of its own \(|^its session's cpu group \(/);
  }
  const report = await load.stop();
  if (dir !== undefined) assert.equal(existsSync(dir), false, `${dir} removed once the load stopped`);
  assert.equal(report.failed, 0);
  assert.ok(report.sent > 0);
  assert.equal(report.ok, report.sent);
  assert.equal(report.backends.web7, report.ok);
  assert.equal(report.firstSeen.web7, load.firstSeen().web7);
  // Root gets the nice value asked for; anyone else is told why not. Either way only the load's thread changes.
  assert.ok(priority === `nice ${LOAD_THREAD_NICE}` || priority.startsWith(`nice 0 (${LOAD_THREAD_NICE} refused:`), priority);
  assert.equal(getPriority(), mainThreadNice);
});

test('bad load options are refused at once, before any thread starts', () => {
  assert.throws(() => startLoadThread({ url: 'http://10.0.0.5/', rate: 100, connections: 5, keepAlive: false, timeoutMs: 2000 }), /127\.0\.0\.1/);
});

test('without a CPU controller to write to, the load thread is told why in one line', (t) => {
  const file = join(tmpdir(), `not-a-cgroup-root-${process.pid}`);
  writeFileSync(file, '');
  t.after(() => rmSync(file));
  const group = makeCpuGroup('8192', file);
  assert.equal(typeof group, 'string');
  assert.match(group as string, /^no CPU group of its own \(ENOTDIR/);
});
