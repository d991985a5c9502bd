// Scale up 1 → 8, one webapp at a time: how long from `docker run`, and from
// the container's start (State.StartedAt), until the new backend answers a
// request through HAProxy (its first `x-backend`), and where that time goes.
import { setTimeout as sleep } from 'node:timers/promises';
import { containerLogLines, haLogLines } from '../ha-log/log-lines.ts';
import { trafficSteps, type TrafficSteps } from '../ha-log/traffic-steps.ts';
import { stepShares } from '../report/step-shares.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const [first, ...joiners] = backendNames('w', 1, 8) as [string, ...string[]];

interface Arrival {
  runAt: number;
  runReturnedMs: number;
  startedAtMs: number | null;
  trafficAt: number | null;
  inRuntimeAt: number | null;
}

export const scaleUp: Scenario = {
  name: 'scale-up',
  title: `Scale up 1 → 8 backends, one at a time`,
  connection: 'keep-alive',
  async run(bench) {
    await bench.startWebapp(first);
    await bench.converged([first]);
    await bench.startLoad();
    await sleep(2000);

    const perBackend: Record<string, Arrival> = {};
    for (const name of joiners) {
      const runAt = await bench.startWebapp(name);
      const runReturnedMs = Date.now() - runAt;
      const [seen, up, start] = await Promise.allSettled([bench.firstResponse(name, 30_000), bench.runtime.up(name, runAt, 30_000), bench.started(name)]);
      const value = <T>(o: PromiseSettledResult<T>): T | null => (o.status === 'fulfilled' ? o.value : null);
      const arrival: Arrival = { runAt, runReturnedMs, startedAtMs: value(start)?.startedAtMs ?? null, trafficAt: value(seen), inRuntimeAt: value(up) };
      perBackend[name] = arrival;
      const since = (at: number | null, from: number | null) => (at === null || from === null ? '?' : `${Math.round(at - from)} ms`);
      bench.log(`${name}: UP in the runtime after ${since(arrival.inRuntimeAt, runAt)}, first response after ${since(arrival.trafficAt, runAt)} (${since(arrival.trafficAt, arrival.startedAtMs)} from its start)`);
      // A quiet second between arrivals, so each one stands alone on the chart.
      await sleep(1000);
    }
    await sleep(2000);
    const report = await requireLoadReport(bench.stopLoad());
    const arrivals = Object.entries(perBackend);
    const figure = (id: string, what: string, from: (a: Arrival) => number | null, to: (a: Arrival) => number | null) => {
      const pairs = arrivals.map(([name, a]) => [name, from(a), to(a)] as const);
      return {
        id,
        what,
        samplesMs: pairs.filter(([, f, t]) => f !== null && t !== null).map(([, f, t]) => Math.round(t! - f!)),
        missing: pairs.filter(([, f, t]) => f === null || t === null).map(([name]) => name),
      };
    };
    const steps: Record<string, TrafficSteps> = {};
    if (bench.mode !== 'dns') {
      const ha = await haLogLines(bench.cluster);
      for (const [name, a] of arrivals) {
        if (a.startedAtMs === null) continue;
        steps[name] = trafficSteps(ha, await containerLogLines(bench.cluster, name), { name, startedAtMs: a.startedAtMs, firstResponseAtMs: a.trafficAt ?? undefined });
      }
    }
    return {
      report,
      times: [
        figure('traffic-start', 'container start → first response', (a) => a.startedAtMs, (a) => a.trafficAt),
        figure('traffic', 'docker run → first response', (a) => a.runAt, (a) => a.trafficAt),
        figure('in-runtime', 'docker run → UP in the runtime', (a) => a.runAt, (a) => a.inRuntimeAt),
      ],
      notes: [
        `${joiners.length} webapps started one at a time, each after the previous one answered`,
        bench.mode === 'dns' ? 'no Serf in this mode: HAProxy finds a backend by resolving `webapp` every second, then checks it' : stepShares(Object.values(steps)),
      ],
      raw: { perBackend, steps },
    };
  },
};
