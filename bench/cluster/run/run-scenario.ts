import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Cluster } from '../../../harness/docker/cluster.ts';
import { statsStatus } from '../../../harness/observe/cluster-state.ts';
import { waitFor } from '../../../harness/docker/wait-for.ts';
import { BenchRun } from './bench-run.ts';
import { ConfigWatch } from '../watch/config-watch.ts';
import { haproxyCensus, type HaproxyCensus } from '../watch/haproxy-census.ts';
import { haLogLines, keepLog } from '../ha-log/log-lines.ts';
import { enginePasses } from '../ha-log/engine-passes.ts';
import { RuntimeWatch } from '../watch/runtime-watch.ts';
import { startHaIn } from './ha-modes.ts';
import { track, untrack } from './live-clusters.ts';
import { loadShape } from './load-shape.ts';
import type { BenchOptions, Mode } from './options.ts';
import type { RunResult } from './run-result.ts';
import type { Scenario, ScenarioFigures } from './scenario.ts';
import { cleanupThoroughly } from '../../../harness/docker/thorough-cleanup.ts';

/**
 * Runs one scenario on a fresh cluster whose ha container is the mode's
 * (see startHaIn); the webapps are the same in every mode. A failure becomes the result's
 * `error` (with whatever was measured until then); the cluster is removed
 * either way.
 */
export async function runScenario(scenario: Scenario, mode: Mode, options: BenchOptions): Promise<RunResult> {
  const tag = `${scenario.name}/${mode}`;
  const haLogName = `${scenario.name}-${mode}-ha.log`;
  const shape = loadShape(options, scenario.connection);
  const started = Date.now();
  // The load generator lives in this process: a stalled event loop would look like a stalled HAProxy.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const cluster = await Cluster.create();
  track(cluster);
  let bench: BenchRun | undefined;
  let config: ConfigWatch | undefined;
  let runtime: RuntimeWatch | undefined;
  let release = async (): Promise<void> => {};
  let figures: ScenarioFigures | undefined;
  let error: string | null = null;
  let census: HaproxyCensus | null = null;
  let runs: RunResult['enginePasses'] = [];
  try {
    const ha = await startHaIn(mode, cluster);
    release = ha.release;
    const ports = ha.ports;
    await waitFor('the stats page', () => statsStatus(ports), () => true, 30_000);
    if (mode !== 'dns') config = await ConfigWatch.start(cluster);
    runtime = new RuntimeWatch(ports, mode === 'dns');
    bench = new BenchRun(cluster, ports, mode, shape, config, runtime, tag);
    bench.log(`cluster ${cluster.prefix} up`);
    loopDelay.enable();
    figures = await scenario.run(bench);
    census = figures.census ?? (await haproxyCensus(cluster, mode));
    if (bench.timeline.started) {
      const origin = bench.timeline.origin;
      const haLog = await haLogLines(cluster);
      runs = enginePasses(haLog).map((r) => ({ ...r, atMs: r.endedAtMs - origin }));
      // Read back only for the figures above otherwise: an odd one (a leaver
      // out 25 s late) cannot be explained once the cluster is gone.
      const kept = await keepLog(options.outDir, haLogName, haLog);
      bench.log(`ha's log kept in ${kept}`);
    }
  } catch (caught) {
    error = (caught as Error).message;
    console.error(`[${tag}] failed: ${error}`);
    await haLogLines(cluster)
      .then((lines) => keepLog(options.outDir, haLogName, lines))
      .then((kept) => console.error(`[${tag}] ha's log kept in ${kept}`), () => {});
  } finally {
    loopDelay.disable();
    config?.stop();
    await runtime?.stop();
    const partial = await bench?.stopLoad();
    await bench?.settle();
    await cleanupThoroughly(cluster).catch((e: Error) => console.error(`[${tag}] ${e.message}`));
    untrack(cluster);
    await release();
    figures ??= partial ? { report: partial, times: [], notes: [], raw: {} } : undefined;
  }
  const loadPriority = await bench?.loadPriority();
  const timeline = bench?.timeline;
  return {
    scenario: scenario.name,
    title: scenario.title,
    mode,
    shape,
    loadStartedAt: timeline?.started ? new Date(timeline.origin).toISOString() : null,
    wallMs: Date.now() - started,
    report: figures?.report ?? null,
    times: figures?.times ?? [],
    census,
    processes: figures?.processes ?? null,
    memory: figures?.memory ?? null,
    notes: [...(figures?.notes ?? []), ...(loadPriority ? [`load generator's thread at ${loadPriority}`] : [])],
    events: timeline?.started ? timeline.events() : [],
    enginePasses: runs,
    // The dns mode has no handler: HAProxy never reloads there unless told to.
    reloads: error || !timeline?.started ? null : mode === 'dns' ? 0 : runs.filter((r) => r.reload && r.atMs >= 0).length,
    raw: { ...figures?.raw, benchEventLoopDelayMs: { p99: Math.round(loopDelay.percentile(99) / 1e4) / 100, max: Math.round(loopDelay.max / 1e4) / 100 } },
    error,
  };
}
