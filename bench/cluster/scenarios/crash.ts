// Crash: SIGKILL two of four webapps at once (no Serf leave, no drain). HAProxy
// must retry the GETs that were on them; then health checks mark them DOWN
// and Serf's failure detection removes them from haproxy.cfg.
import { setTimeout as sleep } from 'node:timers/promises';
import { waitConverged } from '../../../harness/observe/cluster-state.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';
import { StatsWatch } from '../watch/stats-watch.ts';

const all = backendNames('k', 1, 4);
const killed = all.slice(2);

export const crash: Scenario = {
  name: 'crash',
  title: 'Crash: SIGKILL 2 of 4 backends at once',
  connection: 'keep-alive',
  async run(bench) {
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await waitConverged(bench.cluster, bench.ports, all);
    const stats = new StatsWatch(bench.ports);
    try {
      bench.startLoad();
      await sleep(2000);
      const killedAt = await Promise.all(killed.map((name) => bench.kill(name)));

      const down: number[] = [];
      const outOfConfig: number[] = [];
      const perBackend: Record<string, { downMs: number | null; outOfConfigMs: number | null }> = {};
      await Promise.all(killed.map(async (name, i) => {
        const at = killedAt[i]!;
        const [isDown, removed] = await Promise.all([
          stats.down(name, at, 30_000).catch(() => undefined),
          bench.config.removed(name, at, 60_000).catch(() => undefined),
        ]);
        perBackend[name] = { downMs: isDown === undefined ? null : isDown - at, outOfConfigMs: removed === undefined ? null : removed - at };
        bench.log(`${name}: DOWN in the stats after ${perBackend[name].downMs} ms, out of haproxy.cfg after ${perBackend[name].outOfConfigMs} ms`);
      }));
      for (const name of killed) {
        const b = perBackend[name]!;
        if (b.downMs !== null) down.push(b.downMs);
        if (b.outOfConfigMs !== null) outOfConfig.push(b.outOfConfigMs);
      }
      await sleep(2000);
      const report = await requireLoadReport(bench.stopLoad());
      return {
        report,
        times: [
          { id: 'down', what: 'kill → DOWN in stats', samplesMs: down, missing: killed.filter((n) => perBackend[n]?.downMs === null) },
          { id: 'out-of-config', what: 'kill → out of haproxy.cfg', samplesMs: outOfConfig, missing: killed.filter((n) => perBackend[n]?.outOfConfigMs === null) },
        ],
        notes: [`${killed.join(' and ')} killed with docker kill (SIGKILL) at the same moment; every request is a GET`],
        raw: { perBackend },
      };
    } finally {
      await stats.stop();
    }
  },
};
