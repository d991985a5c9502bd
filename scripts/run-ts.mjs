// Runs TypeScript that is not shipped (tests, benchmarks) on Node 20, which
// cannot strip types itself: esbuild bundles each file into .build/ with
// packages left external, then Node runs the result.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relative, join } from 'node:path';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles each file; returns the paths of the .mjs files, in the same order. */
export async function transpile(files) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: files,
    outdir: '.build',
    outbase: '.',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return files.map((f) => join(root, '.build', relative('.', f).replace(/\.ts$/, '.mjs')));
}

/** Runs node with the given arguments and resolves to its exit code. */
export function runNode(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/run-ts.mjs FILE.ts [args...]');
    process.exit(2);
  }
  const [built] = await transpile([relative(root, file)]);
  process.exitCode = await runNode([built, ...args]);
}
