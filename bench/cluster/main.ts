// The cluster benchmark: every scenario on the real images and the real
// Docker engine, once this project's way (seamless: Serf and HAProxy's
// runtime API), once the lab's (restart: a -sf reload per change) and once
// with HAProxy's own DNS discovery (dns), under open-loop load at 127.0.0.1.
//
//   node scripts/run-ts.mjs bench/cluster/main.ts [--only scale-50] [--modes seamless,dns] [--scale-to 10]
//
// Writes bench/results/latest.md, latest.json and <scenario>.svg, then prints
// the table. Every container and network it made is removed, Ctrl-C included.
import { MANY_CONTAINERS_SHARES, weighContainers } from '../../harness/docker/containers-weight.ts';
import { ensureImages } from '../../harness/docker/images.ts';
import { checkGoals, goalsTable } from './report/goals.ts';
import { cleanUpOnSignals } from './run/live-clusters.ts';
import { describeMachine } from './run/machine.ts';
import { resultsTable } from './report/markdown-table.ts';
import { OptionsError, parseBenchOptions, USAGE, type ScenarioName } from './run/options.ts';
import { benchRecord, writeResults } from './report/results-files.ts';
import { runScenario } from './run/run-scenario.ts';
import type { RunResult } from './run/run-result.ts';
import type { Scenario } from './run/scenario.ts';
import { crash } from './scenarios/crash.ts';
import { https } from './scenarios/https.ts';
import { manyBackends } from './scenarios/many-backends.ts';
import { reloadStorm } from './scenarios/reload-storm.ts';
import { scaleDown } from './scenarios/scale-down.ts';
import { scaleFifty } from './scenarios/scale-fifty.ts';
import { scaleUp } from './scenarios/scale-up.ts';
import { services } from './scenarios/services.ts';

const argv = process.argv.slice(2);
let options;
try {
  options = parseBenchOptions(argv);
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  console.error(`bench/cluster/main.ts: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const scenarios: Record<ScenarioName, Scenario> = {
  'scale-up': scaleUp,
  'scale-down': scaleDown,
  crash,
  'reload-storm': reloadStorm,
  'many-backends': manyBackends(options.backends),
  'scale-50': scaleFifty(options.scaleTo),
  https,
  services,
};

cleanUpOnSignals();
const startedAt = Date.now();
console.log('building the ha and webapp images (cached when nothing changed)...');
await ensureImages();
// Several scenarios start tens of containers at once; every mode runs with the same weight (see containers-weight.ts).
// Weighed first, so that the machine's description says the weight the run had.
const restoreWeight = weighContainers(MANY_CONTAINERS_SHARES);
const machine = await describeMachine();
const results: RunResult[] = [];
try {
  for (const name of options.scenarios) {
    for (const mode of options.modes) {
      const { onlyIn } = scenarios[name];
      if (onlyIn && !onlyIn.modes.includes(mode)) console.log(`[${name}/${mode}] not run: ${onlyIn.why}`);
      else results.push(await runScenario(scenarios[name], mode, options));
    }
  }
} finally {
  restoreWeight();
}

const record = benchRecord(startedAt, argv, machine, options, results);
const written = await writeResults(options.outDir, record);
console.log(`\n${resultsTable(results).replaceAll('<br>', '; ')}\n\n${goalsTable(checkGoals(results))}\n`);
console.log(`total wall time ${(record.wallMs / 1000).toFixed(0)} s; wrote ${written.join(', ')}`);
if (results.some((r) => r.error)) process.exitCode = 1;
