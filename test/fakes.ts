// Small stand-ins the unit tests pass in place of the real world: a temp
// directory that removes itself, a command runner that records its calls, and
// a stream that keeps what is written to it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { CommandResult, RunCommand } from '../handlers/os/run-command.ts';

/** A fresh directory under the OS temp dir, removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'serf-haproxy-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface FakeRun extends RunCommand {
  calls: { commandLine: string; args: readonly string[] }[];
}

/** A RunCommand that answers from `respond` (default: exit 0, no output) and records each call. */
export function fakeRun(respond: (commandLine: string, args: readonly string[]) => Partial<CommandResult> = () => ({})): FakeRun {
  const calls: FakeRun['calls'] = [];
  const run = async (commandLine: string, args: readonly string[] = []): Promise<CommandResult> => {
    calls.push({ commandLine, args });
    return { code: 0, stdout: '', output: '', ...respond(commandLine, args) };
  };
  return Object.assign(run, { calls });
}

/** A Writable whose `text` is everything written so far. */
export function captureStream(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}
