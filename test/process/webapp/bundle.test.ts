import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

// The committed bundle: rebuild (node build.mjs) after changing webapp/.
const bundle = join(process.cwd(), 'bundle', 'webapp.cjs');
const timeout = 15_000;

// As the webapp image runs it: from a startup snapshot built from the
// committed entry, with settings given only when the blob starts, so a
// setting frozen at build time would show.
const snapshotDir = mkdtempSync(join(tmpdir(), 'node-snapshot-'));
process.on('exit', () => rmSync(snapshotDir, { recursive: true, force: true }));
copyFileSync(join(process.cwd(), 'bundle', 'node-snapshot.cjs'), join(snapshotDir, 'node-snapshot.cjs'));
const blob = join(snapshotDir, 'node.blob');
execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(snapshotDir, 'node-snapshot.cjs')], { env: { PATH: process.env.PATH }, stdio: 'pipe' });

const starts = { 'node webapp.cjs': [bundle], 'node --snapshot-blob': ['--snapshot-blob', blob, bundle] } as const;

interface Started {
  child: ChildProcess;
  stdout: () => string;
  port: number;
}

function collect(stream: Readable): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  return () => text;
}

async function waitFor<T>(check: () => T | undefined, what: string, child: ChildProcess): Promise<T> {
  for (let waited = 0; waited < 5000; waited += 10) {
    const found = check();
    if (found !== undefined) return found;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`expected ${what}, but the app exited (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${what} within 5 s`);
}

async function startBundle(args: readonly string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, PORT: '0', DRAIN_QUIET_MS: '100', DRAIN_MAX_MS: '3000', SERVER_NAME: 'web-bundle', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = collect(child.stdout as Readable);
  const port = await waitFor(() => stdout().match(/msg=listening port=(\d+)/)?.[1], 'a listening line', child);
  return { child, stdout, port: Number(port) };
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

for (const [start, args] of Object.entries(starts)) {
  test(`${start}: says it listens, with the settings it was started with, and answers`, { timeout }, async (t) => {
    const started = await startBundle(args, {});
    t.after(() => started.child.kill('SIGKILL'));
    assert.match(started.stdout(), /msg=listening port=\d+ server_name=web-bundle /);
    assert.equal(await getStatus(started.port, '/health'), 200);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${start}: ${signal} drains, ignores a second signal, and exits 0`, { timeout }, async (t) => {
      // Quiet long enough that the second signal lands inside the drain even on a busy machine.
      const { child, stdout, port } = await startBundle(args, { DRAIN_QUIET_MS: '2000' });
      t.after(() => child.kill('SIGKILL'));
      const exited = once(child, 'exit');
      child.kill(signal);
      await waitFor(() => (stdout().includes('drain started') ? true : undefined), 'the drain to start', child);
      assert.equal(await getStatus(port, '/health'), 503);
      assert.equal(await getStatus(port, '/'), 200);
      child.kill(signal);
      const [code, killedBy] = await exited;
      assert.deepEqual({ code, killedBy }, { code: 0, killedBy: null });
      const messages = stdout()
        .trim()
        .split('\n')
        .map((line) => line.match(/ msg=("[^"]*"|\S+)/)?.[1]);
      assert.deepEqual(messages, [
        'listening',
        '"stop signal"',
        '"drain started"',
        '"signal ignored, already draining"',
        '"drain quiet reached"',
        '"server closed"',
        'exiting',
      ]);
      assert.match(stdout(), new RegExp(`msg="stop signal" signal=${signal}\n`));
      assert.match(stdout(), /msg="drain quiet reached" elapsed_ms=\d+ requests_while_draining=1\n/);
    });
  }

  test(`${start}: a bad setting is one log line and exit 2`, { timeout }, async () => {
    const child = spawn(process.execPath, args, { env: { PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = collect(child.stdout as Readable);
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.equal(stdout(), 'level=error component=webapp msg="expected PORT to be an integer 0..65535, got \\"eighty\\""\n');
  });
}
