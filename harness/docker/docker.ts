import { execFile } from 'node:child_process';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs the docker CLI; never throws, so callers can assert on failures too. */
export function docker(args: readonly string[], options: DockerOptions = {}): Promise<DockerResult> {
  return new Promise((resolve) => {
    const child = execFile('docker', [...args], { timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (error && code !== 0 ? error.message : '') });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Like docker() but throws with the command and its stderr when it fails. */
export async function dockerOk(args: readonly string[], options: DockerOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  }
  return result.stdout;
}

/** Fails loudly, with the fix, when there is no engine: an e2e test must never skip quietly. */
export async function requireEngine(): Promise<void> {
  const info = await docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (info.code !== 0) {
    throw new Error(`no Docker engine reachable (${info.stderr.trim().split('\n')[0]}); run scripts/docker-engine.sh first`);
  }
}
