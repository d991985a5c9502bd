import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { firstLine, runCommand } from '../../../../handlers/os/run-command.ts';
import { tempDir } from '../../../fakes.ts';

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
