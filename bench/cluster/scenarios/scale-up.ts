// Scale up 1 → 8, one webapp at a time: how long from `docker run` until the
// new backend answers a request through HAProxy (its first `x-backend`).
import { setTimeout as sleep } from 'node:timers/promises';
import { waitConverged } from '../../../harness/observe/cluster-state.ts';
import { haLogLines, type LogLine } from '../ha-log/log-lines.ts';
import { joinPhases } from '../ha-log/join-phases.ts';
import { summarize } from '../report/summary.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const [first, ...joiners] = backendNames('w', 1, 8) as [string, ...string[]];

export const scaleUp: Scenario = {
  name: 'scale-up',
  title: `Scale up 1 → 8 backends, one at a time`,
  connection: 'keep-alive',
  async run(bench) {
    await bench.startWebapp(first);
    await waitConverged(bench.cluster, bench.ports, [first]);
    bench.startLoad();
    await sleep(2000);

    const traffic: number[] = [];
    const inConfig: number[] = [];
    const missing: string[] = [];
    const perBackend: Record<string, { runAt: number; runReturnedMs: number; trafficMs: number | null; configMs: number | null }> = {};
    for (const name of joiners) {
      const runAt = await bench.startWebapp(name);
      const runReturnedMs = Date.now() - runAt;
      const [seen, configured] = await Promise.allSettled([bench.firstResponse(name, 30_000), bench.config.added(name, runAt, 30_000)]);
      const trafficMs = seen.status === 'fulfilled' ? seen.value - runAt : null;
      const configMs = configured.status === 'fulfilled' ? configured.value - runAt : null;
      perBackend[name] = { runAt, runReturnedMs, trafficMs, configMs };
      if (trafficMs === null) missing.push(name);
      else traffic.push(trafficMs);
      if (configMs !== null) inConfig.push(configMs);
      bench.log(`${name}: in haproxy.cfg after ${configMs} ms, first response after ${trafficMs} ms`);
      // A quiet second between arrivals, so each one stands alone on the chart.
      await sleep(1000);
    }
    await sleep(2000);
    const report = await requireLoadReport(bench.stopLoad());
    const phases = breakdown(await haLogLines(bench.cluster), perBackend);
    return {
      report,
      times: [
        { id: 'traffic', what: 'docker run → first response', samplesMs: traffic, missing },
        { id: 'in-config', what: 'docker run → in haproxy.cfg', samplesMs: inConfig, missing: joiners.filter((n) => perBackend[n]?.configMs === null) },
      ],
      notes: [`${joiners.length} webapps started one at a time, each after the previous one answered`, phases.note],
      raw: { perBackend, phases: phases.perBackend },
    };
  },
};

type Phase = 'docker run returns' | 'Serf gossip join' | 'Serf coalescing' | 'handler (node start + run)' | 'reload + first response';

/** Splits each time to traffic into its steps (from ha's log), and the p50 of each step in one line. */
function breakdown(lines: readonly LogLine[], perBackend: Record<string, { runAt: number; runReturnedMs: number; trafficMs: number | null }>) {
  const steps: Record<string, Partial<Record<Phase, number>>> = {};
  for (const [name, b] of Object.entries(perBackend)) {
    const p = joinPhases(lines, name, b.runAt);
    steps[name] = {
      'docker run returns': b.runReturnedMs,
      ...(p && {
        'Serf gossip join': p.joinedAt - b.runAt,
        'Serf coalescing': p.eventAt - p.joinedAt,
        'handler (node start + run)': p.handledAt - p.eventAt,
        ...(b.trafficMs !== null && { 'reload + first response': b.runAt + b.trafficMs - p.handledAt }),
      }),
    };
  }
  const phases: Phase[] = ['docker run returns', 'Serf gossip join', 'Serf coalescing', 'handler (node start + run)', 'reload + first response'];
  const medians = phases.map((phase) => {
    const s = summarize(Object.values(steps).map((b) => b[phase]).filter((v): v is number => v !== undefined));
    return `${phase} ${s ? `${s.p50} ms` : '?'}`;
  });
  return {
    perBackend: steps,
    note: `p50 per step, from docker run (ha's log times): ${medians.join(', ')} (gossip join counts from docker run; the steps after it add up to the time to traffic)`,
  };
}
