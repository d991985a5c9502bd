// Scale 2 → 50 → 2 under load: 48 webapps started at once (a few docker runs
// at a time, so the engine copes), then the same 48 stopped at once. Failed
// requests in each phase, how long until haproxy.cfg and the runtime agree on
// the new set, the reloads it cost, and how long each leaver stays in the
// runtime once its container stopped.
import { setTimeout as sleep } from 'node:timers/promises';
import { inParallel } from '../../../handlers/os/in-parallel.ts';
import { haLogLines } from '../ha-log/log-lines.ts';
import { enginePasses } from '../ha-log/engine-passes.ts';
import type { BenchRun } from '../run/bench-run.ts';
import { backendFigure, backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';
import { failedBetween } from '../report/phase-failures.ts';

const STAY = 2;
const RUNS_AT_ONCE = 8;
const STOPS_AT_ONCE = 16;
const WAIT_MS = 240_000;

/** When haproxy.cfg (if the mode has one) and the runtime both name exactly `names`. */
async function agreed(bench: BenchRun, names: readonly string[], sinceMs: number): Promise<number> {
  const views = [bench.runtime.exactly(names, sinceMs, WAIT_MS)];
  if (bench.config) views.push(bench.config.exactly(names, sinceMs, WAIT_MS));
  return Math.max(...(await Promise.all(views)));
}

interface Joiner {
  runAt: number;
  startedAtMs: number | null;
  trafficAt: number | null;
}

interface Leaver {
  stopMs: number | null;
  outAfterStoppedMs: number | null;
}

export function scaleFifty(to: number): Scenario {
  const names = backendNames('s', 1, to);
  const stayers = names.slice(0, STAY);
  const movers = names.slice(STAY);
  return {
    name: 'scale-50',
    title: `Scale ${STAY} → ${to} → ${STAY} under load, ${movers.length} at once each way`,
    connection: 'new',
    async run(bench) {
      await Promise.all(stayers.map((name) => bench.startWebapp(name)));
      await bench.converged(stayers);
      await bench.startLoad();
      await sleep(2000);

      const upAt = Date.now();
      const joiners: Record<string, Joiner> = {};
      const arrivals: Promise<void>[] = [];
      await inParallel(movers, RUNS_AT_ONCE, async (name) => {
        const runAt = await bench.startWebapp(name).catch((e: Error) => (bench.log(`${name}: ${e.message}`), null));
        if (runAt === null) return;
        arrivals.push(Promise.allSettled([bench.started(name), bench.firstResponse(name, WAIT_MS)]).then(([start, seen]) => {
          joiners[name] = { runAt, startedAtMs: start.status === 'fulfilled' ? start.value.startedAtMs : null, trafficAt: seen.status === 'fulfilled' ? seen.value : null };
        }));
      });
      const upAgreedAt = await agreed(bench, names, upAt).catch(() => null);
      await Promise.all(arrivals);
      bench.log(`${to} agreed on after ${upAgreedAt === null ? 'never' : `${upAgreedAt - upAt} ms`}`);
      await sleep(3000);

      const downAt = Date.now();
      const leavers: Record<string, Leaver> = {};
      await inParallel(movers, STOPS_AT_ONCE, async (name) => {
        const stopAt = Date.now();
        const stopped = await bench.stop(name).then(() => Date.now(), (e: Error) => (bench.log(`${name}: ${e.message}`), null));
        const out = await bench.runtime.out(name, stopAt, 30_000).catch(() => null);
        leavers[name] = {
          stopMs: stopped === null ? null : stopped - stopAt,
          // Out before `docker stop` returned counts 0: the goal is about the time after the container stopped.
          outAfterStoppedMs: out === null || stopped === null ? null : Math.max(0, out - stopped),
        };
      });
      const downAgreedAt = await agreed(bench, stayers, downAt).catch(() => null);
      bench.log(`${STAY} agreed on after ${downAgreedAt === null ? 'never' : `${downAgreedAt - downAt} ms`}`);
      await sleep(2000);
      const endAt = Date.now();
      const report = await requireLoadReport(bench.stopLoad());

      const runs = bench.mode === 'dns' ? [] : enginePasses(await haLogLines(bench.cluster));
      const reloadsIn = (from: number, until: number) => runs.filter((r) => r.reload && r.endedAtMs >= from && r.endedAtMs < until).length;
      const origin = bench.timeline.origin;
      const failed = { up: failedBetween(report, upAt - origin, downAt - origin), down: failedBetween(report, downAt - origin, endAt - origin) };
      const reloads = { up: reloadsIn(upAt, downAt), down: reloadsIn(downAt, endAt) };
      const agreedFigure = (id: string, what: string, at: number | null, from: number) =>
        ({ id, what, samplesMs: at === null ? [] : [at - from], missing: at === null ? ['all'] : [] });
      const agreement = (n: number) => (bench.config ? `haproxy.cfg and the runtime agree on ${n}` : `the runtime has exactly ${n} UP`);
      return {
        report,
        times: [
          backendFigure('traffic-start', 'container start → first response', joiners, (j) => (j.startedAtMs === null || j.trafficAt === null ? null : Math.round(j.trafficAt - j.startedAtMs))),
          backendFigure('traffic', 'docker run → first response', joiners, (j) => (j.trafficAt === null ? null : j.trafficAt - j.runAt)),
          agreedFigure('agreed-up', `first docker run → ${agreement(to)}`, upAgreedAt, upAt),
          agreedFigure('agreed-down', `first docker stop → ${agreement(STAY)}`, downAgreedAt, downAt),
          backendFigure('out-after-stopped', 'container stopped → out of the runtime', leavers, (l) => l.outAfterStoppedMs),
        ],
        notes: [
          `${movers.length} docker runs, ${RUNS_AT_ONCE} at a time, then ${movers.length} docker stops, ${STOPS_AT_ONCE} at a time`,
          `failed while scaling up ${failed.up}, while scaling down ${failed.down} (by send time)`,
          bench.mode === 'dns' ? 'no handler in this mode, so no reload' : `reloads by a handler: ${reloads.up} scaling up, ${reloads.down} scaling down`,
        ],
        raw: { failed, reloads, upAgreedMs: upAgreedAt === null ? null : upAgreedAt - upAt, downAgreedMs: downAgreedAt === null ? null : downAgreedAt - downAt, joiners, leavers },
      };
    },
  };
}
