// Reload storm: 50 reloads at 10 per second (`s6-svc -2`, SIGUSR2 to the
// service, in one docker exec loop; in the dns mode, where HAProxy's master
// is PID 1 and no s6 runs, SIGUSR2 to it straight) under load. Failed requests, HAProxy
// processes piling up during the storm and left 5 s after it, and memory.
import { setTimeout as sleep } from 'node:timers/promises';
import { reloadsLogged } from '../../../harness/observe/cluster-state.ts';
import type { BenchRun } from '../run/bench-run.ts';
import { haproxyCensus, type HaproxyCensus } from '../watch/haproxy-census.ts';
import { mib } from '../report/summary.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const all = backendNames('r', 1, 3);
const RELOADS = 50;
const INTERVAL_S = 0.1;
const SETTLE_MS = 5000;
const LINGER_MS = 20_000;

const loggedReloads = (bench: BenchRun): Promise<number> => reloadsLogged(bench.cluster);

export const reloadStorm: Scenario = {
  name: 'reload-storm',
  title: `Reload storm: ${RELOADS} reloads at ${1 / INTERVAL_S}/s`,
  connection: 'new',
  async run(bench) {
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await bench.converged(all);
    await bench.startLoad();
    await sleep(2000);
    const before = await haproxyCensus(bench.cluster, bench.mode);
    const loggedBefore = await loggedReloads(bench);

    const samples: { atMs: number; census: HaproxyCensus }[] = [];
    const sample = async (): Promise<HaproxyCensus | undefined> => {
      const census = await haproxyCensus(bench.cluster, bench.mode).catch(() => undefined);
      if (census) samples.push({ atMs: bench.timeline.relative(Date.now()), census });
      return census;
    };
    let storming = true;
    const sampling = (async () => {
      while (storming) {
        await sample();
        await sleep(300);
      }
    })();

    const stormAt = Date.now();
    bench.mark('storm', `${RELOADS} reloads begin`, stormAt);
    // s6-svc in the background, so its own run time does not stretch the interval.
    const reload = bench.mode === 'dns' ? 'kill -USR2 1' : 's6-svc -2 /run/service/haproxy';
    const loop = `i=0; while [ $i -lt ${RELOADS} ]; do ${reload} & sleep ${INTERVAL_S}; i=$((i+1)); done; wait`;
    await bench.cluster.exec('ha', ['sh', '-c', loop]);
    const stormEnd = Date.now();
    bench.mark('storm', 'storm ends', stormEnd);
    await sleep(SETTLE_MS);
    storming = false;
    await sampling;
    const after = await haproxyCensus(bench.cluster, bench.mode);
    // Stopped here in both modes, so both count failures over the same window.
    const report = await requireLoadReport(bench.stopLoad());
    // How long the leftovers stay: hard-stop-after (15 s) bounds them.
    let backAt: number | null = after.workers <= before.workers ? Date.now() : null;
    while (backAt === null && Date.now() - stormEnd < LINGER_MS) {
      await sleep(500);
      const census = await sample();
      if (census && census.workers <= before.workers) backAt = Date.now();
    }
    // The lab's script keeps the pid it will -sf next in this file; a daemon not named there is never told to stop.
    const pidFile = (await bench.cluster.exec('ha', ['sh', '-c', 'cat /run/haproxy/haproxy.pid 2>/dev/null || true'])).trim() || null;
    // Only master-worker logs "Loading success"; a lab-style daemon logs nothing after it detaches.
    const logged = bench.mode === 'restart' ? null : (await loggedReloads(bench)) - loggedBefore;
    const stormSeconds = (stormEnd - stormAt) / 1000;
    const last = samples[samples.length - 1]?.census;
    const pidFileNote = pidFile === null ? '' : `, pid file names ${pidFile}`;
    const backIn = backAt === null
      ? `still ${last?.workers ?? '?'} serving processes ${LINGER_MS / 1000} s after it (pids ${last?.workerPids.join(', ') ?? '?'}${pidFileNote})`
      : `back to ${before.workers} serving process${before.workers === 1 ? '' : 'es'} ${((backAt - stormEnd) / 1000).toFixed(1)} s after the storm`;

    const peak = Math.max(before.workers, ...samples.map((s) => s.census.workers));
    // Every reload starts a new worker (or lab-style daemon) with a new pid; a
    // census every 300 ms misses those replaced in between, so this is a floor.
    const newWorkers = new Set(samples.flatMap((s) => s.census.workerPids).filter((pid) => !before.workerPids.includes(pid))).size;
    const master = after.masters > 0 ? ` + ${after.masters} master` : ', no master';
    return {
      report,
      times: [],
      census: after,
      processes: `after: ${after.workers} worker${after.workers === 1 ? '' : 's'}${master} (before ${before.workers}, peak ${peak})`,
      memory: `HAProxy RSS ${mib(before.rssKb * 1024)} → ${mib(after.rssKb * 1024)} MiB`,
      notes: [
        `${RELOADS} × ${reload} ${INTERVAL_S * 1000} ms apart in one docker exec, done in ${stormSeconds.toFixed(1)} s (${(RELOADS / stormSeconds).toFixed(1)}/s); processes counted ${SETTLE_MS / 1000} s after the last; ${backIn}`,
        `reloads done: ${logged === null ? 'not logged in this mode' : `${logged} logged (Loading success)`}, at least ${newWorkers} new serving processes seen`,
        ...(bench.mode === 'dns'
          ? ['a new worker starts its DNS slots unresolved (init-addr none, no state saved before the reload) until its first resolution: the likely source of its 503s']
          : []),
      ],
      raw: { before, after, pidFile, peakWorkers: peak, reloadsLogged: logged, newWorkerPidsSeen: newWorkers, stormMs: stormEnd - stormAt, backToBeforeMs: backAt === null ? null : backAt - stormEnd, censusSamples: samples },
    };
  },
};
