import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  /** stdout and stderr interleaved, for error messages. */
  output: string;
}

/** Runs a shell command line with extra arguments passed safely as "$@". */
export type RunCommand = (commandLine: string, args?: readonly string[]) => Promise<CommandResult>;

const TIMEOUT_MS = 30_000;

export function commandRunner(timeoutMs = TIMEOUT_MS): RunCommand {
  return (commandLine, args = []) => new Promise((resolve) => {
    // Arguments go through "$@", never into the command string, so a path cannot become shell syntax.
    const child = spawn('/bin/sh', ['-c', `${commandLine} "$@"`, 'sh', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', (error) => resolve({ code: 127, stdout, output: error.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? 128, stdout, output: signal ? `${output}killed by ${signal}` : output }));
  });
}

export const runCommand = commandRunner();

/** The first meaningful line of a command's output, for a one-line log. */
export function firstLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /ALERT|error|fatal/i.test(l)) ?? lines[0] ?? '(no output)';
}
