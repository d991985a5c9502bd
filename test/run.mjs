// The test command's runner: bundles the TypeScript tests (see
// scripts/run-ts.mjs) and hands them all to one `node --test`, so there is a
// single summary. Suites: `unit` (pure, in-process), `process` (spawns
// processes: bundles, shells, locks across processes), `e2e` (real Docker
// engine). Naming suites narrows the run, test file paths narrow it further;
// the default runs all three.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, runNode, transpile } from '../scripts/run-ts.mjs';

const SUITES = ['unit', 'process', 'e2e'];
const args = process.argv.slice(2);
const named = args.filter((a) => a.endsWith('.ts'));
const suites = args.filter((a) => !a.endsWith('.ts'));
const unknown = suites.filter((s) => !SUITES.includes(s));
if (unknown.length > 0) {
  console.error(`unknown suite ${unknown.join(', ')}: expected ${SUITES.join(', ')} or test file paths`);
  process.exit(2);
}
const files = named.length > 0 ? named : (suites.length > 0 ? suites : SUITES).flatMap((suite) =>
  readdirSync(join(root, 'test', suite), { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .sort()
    .map((f) => join('test', suite, String(f))),
);
if (files.length === 0) {
  console.error(`no test files found for ${args.join(' ') || SUITES.join(' ')}`);
  process.exit(1);
}
const built = await transpile(files);
// One file at a time: the end-to-end files share one Docker engine and two cores.
process.exitCode = await runNode(['--test', '--test-concurrency=1', '--test-reporter=spec', ...built]);
