// npm run lab: the AIT lab 04 ("Docker and dynamic scaling") replayed on the
// real images, tasks 0 to 6, with the lab's names; every file its report
// showed (stats page screenshots, docker logs, haproxy.cfg, /nodes, docker
// ps, docker inspect, serf members) lands in lab-report/, listed by
// lab-report/index.md.
//
//   npm run lab [-- --out DIR]
//
// Its containers are removed on any exit, Ctrl-C and the time limit included.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureImages } from '../harness/docker/images.ts';
import { CHROMIUM } from './browser.ts';
import { assertReplaceable } from './report.ts';
import { removeLiveClusters, runLab } from './run-lab.ts';

const USAGE = 'usage: npm run lab [-- --out DIR]   (DIR: where the report goes, emptied first; default lab-report)';
/** The replay takes about 30 s on two idle cores, 2 min on a busy machine; past this, something hangs. */
const TIME_LIMIT_MS = 6 * 60_000;

let out = 'lab-report';
try {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.out !== undefined) out = values.out;
  await assertReplaceable(out);
} catch (error) {
  console.error(`lab: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

const log = (message: string) => console.log(`[lab] ${message}`);

let stopping = false;
/** Removes the lab's containers, then exits: for signals and the time limit alike. */
function stopAndExit(reason: string, code: number): void {
  // A second Ctrl-C (or npm passing the signal on) must not cut the removal short.
  if (stopping) return console.error(`lab: ${reason} again: still removing the containers, please wait`);
  stopping = true;
  console.error(`\nlab: ${reason}; removing the lab's containers...`);
  void removeLiveClusters().then(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopAndExit(signal, 130));

if (!existsSync(CHROMIUM)) {
  log(`no ${CHROMIUM}: installing it with scripts/browser.sh`);
  const install = spawnSync('bash', ['scripts/browser.sh'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(1);
}
log('building the ha and webapp images (cached when nothing changed)...');
await ensureImages();
const startedAt = Date.now();
setTimeout(() => stopAndExit(`still running after ${TIME_LIMIT_MS / 60_000} min`, 1), TIME_LIMIT_MS).unref();
try {
  const { report } = await runLab(out, log);
  const files = report.steps.reduce((n, s) => n + s.files.length, 0);
  log(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${files} files and index.md in ${relative(process.cwd(), out) || out}/`);
} catch (error) {
  console.error(`lab: ${(error as Error).message}`);
  process.exitCode = 1;
}
