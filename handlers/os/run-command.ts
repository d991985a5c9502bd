import { spawn } from 'node:child_process';
import { killGroup } from './process-group.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  /** stdout and stderr interleaved, for error messages. */
  output: string;
}

/** Runs a shell command line with extra arguments passed safely as "$@". */
export type RunCommand = (commandLine: string, args?: readonly string[]) => Promise<CommandResult>;

const TIMEOUT_MS = 30_000;

// Imported up front: every run that takes the lock has it loaded anyway
// (net's listen() loads cluster, which loads child_process), and an import()
// from the CommonJS bundle would start Node's ESM loader for it.

export function commandRunner(timeoutMs = TIMEOUT_MS): RunCommand {
  return async (commandLine, args = []) => {
    return new Promise((resolve) => {
      // Arguments go through "$@", never into the command string, so a path
      // cannot become shell syntax. Detached: the shell leads its own process
      // group, so a timeout kills everything it started.
      const child = spawn('/bin/sh', ['-c', `${commandLine} "$@"`, 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let output = '';
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        output += chunk;
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) killGroup(child.pid);
      }, timeoutMs);
      const finish = (result: CommandResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      child.on('error', (error) => finish({ code: 127, stdout, output: error.message }));
      child.on('close', (code, signal) => finish({ code: code ?? 128, stdout, output: signal ? `${output}killed by ${signal}` : output }));
      // Once killed, a process that left the group (setsid) may still hold
      // the pipes: the run does not wait for them.
      child.on('exit', (_code, signal) => {
        if (!timedOut) return;
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ code: 128 + 9, stdout, output: `${output}killed by ${signal ?? 'SIGKILL'} after ${timeoutMs} ms` });
      });
    });
  };
}

export const runCommand = commandRunner();

/** The first meaningful line of a command's output, for a one-line log. */
export function firstLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /ALERT|error|fatal/i.test(l)) ?? lines[0] ?? '(no output)';
}
