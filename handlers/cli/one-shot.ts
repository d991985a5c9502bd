import { runCommand } from '../os/run-command.ts';
import { descriptorLines } from '../os/stderr-lines.ts';
import type { Pass } from '../pipeline/pipeline.ts';
import { type Io, passRunner } from './pass-runner.ts';
import { type Settings, settingsOrExit } from './settings.ts';

export function processIo(): Io {
  return {
    env: process.env,
    // Built on first use only (a dry run, --help): Node builds a stream around the descriptor, about 1 ms.
    get stdout() {
      return process.stdout;
    },
    stderr: descriptorLines(),
    run: runCommand,
    now: () => new Date(),
  };
}

/** One pass, to completion (drains included): 0 done, 1 failed or a member refused, 2 usage. */
export async function runOnce(pass: Pass, settings: Settings, io: Io): Promise<number> {
  const runner = passRunner(pass, settings, io);
  const report = await runner.run(pass);
  await runner.close();
  return report.ok ? 0 : 1;
}

/**
 * What render.ts and reconcile.ts call: the real process, the exit code set,
 * nothing thrown. A reconcile given an interval becomes the engine (`engine`),
 * which keeps running.
 */
export function main(pass: Pass, engine?: (settings: Settings, io: Io) => void): void {
  const io = processIo();
  const settings = settingsOrExit(pass, process.argv.slice(2), io.env, io);
  if (typeof settings === 'number') {
    process.exitCode = settings;
    return;
  }
  if (engine && settings.interval !== undefined) {
    engine(settings, io);
    return;
  }
  runOnce(pass, settings, io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${pass}: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
