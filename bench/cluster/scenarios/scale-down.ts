// Graceful scale down 8 → 2: `docker stop` one webapp at a time (the next
// only once the last is out of haproxy.cfg); failed requests, and how long
// each leaver stays in the config.
import { setTimeout as sleep } from 'node:timers/promises';
import { waitConverged } from '../../../harness/observe/cluster-state.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const all = backendNames('d', 1, 8);
const leavers = all.slice(2).reverse();

export const scaleDown: Scenario = {
  name: 'scale-down',
  title: 'Graceful scale down 8 → 2, docker stop one at a time',
  connection: 'new',
  async run(bench) {
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await waitConverged(bench.cluster, bench.ports, all, 90_000);
    bench.startLoad();
    await sleep(2000);

    const outOfConfig: number[] = [];
    const missing: string[] = [];
    const perBackend: Record<string, { stopMs: number; outOfConfigMs: number | null }> = {};
    for (const name of leavers) {
      const stopAt = await bench.stop(name);
      const stopMs = Date.now() - stopAt;
      const removed = await bench.config.removed(name, stopAt, 30_000).catch(() => undefined);
      const outMs = removed === undefined ? null : removed - stopAt;
      perBackend[name] = { stopMs, outOfConfigMs: outMs };
      if (outMs === null) missing.push(name);
      else outOfConfig.push(outMs);
      bench.log(`${name}: docker stop took ${stopMs} ms, out of haproxy.cfg after ${outMs} ms`);
      await sleep(1000);
    }
    await sleep(2000);
    const report = await requireLoadReport(bench.stopLoad());
    const stops = Object.values(perBackend).map((b) => b.stopMs);
    return {
      report,
      times: [
        { id: 'out-of-config', what: 'docker stop → out of haproxy.cfg', samplesMs: outOfConfig, missing },
        { id: 'docker-stop', what: 'docker stop returns', samplesMs: stops, missing: [] },
      ],
      notes: [`${leavers.length} webapps stopped one at a time, each once the previous one was out of haproxy.cfg`],
      raw: { perBackend },
    };
  },
};
