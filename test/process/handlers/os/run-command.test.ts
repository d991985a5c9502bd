import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandRunner, firstLine, runCommand } from '../../../../handlers/os/run-command.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../../fakes.ts';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('runs a shell command line and reports its exit code and output', async () => {
  const result = await runCommand('echo out; echo err >&2; exit 3');
  assert.equal(result.code, 3);
  assert.equal(result.stdout, 'out\n');
  assert.match(result.output, /out\n/);
  assert.match(result.output, /err\n/);
});

test('extra arguments arrive as "$@" and never become shell syntax', async (t) => {
  const dir = await tempDir(t);
  const hostile = `${join(dir, 'x')}; touch ${join(dir, 'pwned')} $(touch ${join(dir, 'pwned2')})`;
  const result = await runCommand('printf "%s|"', [hostile, 'two words']);
  assert.equal(result.stdout, `${hostile}|two words|`);
  assert.deepEqual(await readdir(dir), []);
});

test('a command that does not exist is exit 127 with the shell message', async () => {
  const result = await runCommand('definitely-not-a-command-xyz');
  assert.equal(result.code, 127);
  assert.match(result.output, /not found/);
});

test('firstLine prefers an ALERT or error line over notices', () => {
  assert.equal(firstLine('[NOTICE] x\n[ALERT] y bad\n[ALERT] z\n'), '[ALERT] y bad');
  assert.equal(firstLine('\n  first  \nsecond\n'), 'first');
  assert.equal(firstLine(''), '(no output)');
});

test('a command past its timeout is killed with everything it started, without waiting for their pipes', { timeout: 30_000 }, async (t) => {
  const dir = await tempDir(t);
  const pidFile = join(dir, 'sleep.pid');
  // The shell's child holds the shell's stdout open: killing the shell alone leaves the run waiting on it.
  const result = await commandRunner(500)(`sleep 60 & echo $! > ${pidFile}; wait`);
  assert.equal(result.code, 128 + 9);
  assert.match(result.output, /killed by SIGKILL after 500 ms/);
  const pid = Number(await readFile(pidFile, 'utf8'));
  // Reparented and reaped by init a moment after the kill: until then a zombie answers signal 0.
  for (let i = 0; i < 100 && processExists(pid); i++) await sleep(20);
  assert.equal(processExists(pid), false, 'the grandchild is gone too');
});
