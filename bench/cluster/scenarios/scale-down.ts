// Graceful scale down 8 → 2: `docker stop` one webapp at a time (the next
// only once the last is out of HAProxy's runtime); failed requests, and how
// long each leaver stays in the runtime after its container stopped.
import { setTimeout as sleep } from 'node:timers/promises';
import { backendNames, backendFigure, requireLoadReport, type Scenario } from '../run/scenario.ts';

const all = backendNames('d', 1, 8);
const leavers = all.slice(2).reverse();

export const scaleDown: Scenario = {
  name: 'scale-down',
  title: 'Graceful scale down 8 → 2, docker stop one at a time',
  connection: 'new',
  async run(bench) {
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await bench.converged(all, 90_000);
    await bench.startLoad();
    await sleep(2000);

    const perBackend: Record<string, { stopMs: number; outMs: number | null; outAfterStoppedMs: number | null }> = {};
    for (const name of leavers) {
      const stopAt = await bench.stop(name);
      const stoppedAt = Date.now();
      const out = await bench.runtime.out(name, stopAt, 30_000).catch(() => undefined);
      perBackend[name] = {
        stopMs: stoppedAt - stopAt,
        outMs: out === undefined ? null : out - stopAt,
        // Out before `docker stop` returned counts 0: the goal is about the time after the container stopped.
        outAfterStoppedMs: out === undefined ? null : Math.max(0, out - stoppedAt),
      };
      bench.log(`${name}: docker stop took ${stoppedAt - stopAt} ms, out of the runtime after ${perBackend[name].outMs} ms`);
      await sleep(1000);
    }
    await sleep(2000);
    const report = await requireLoadReport(bench.stopLoad());
    return {
      report,
      times: [
        backendFigure('out-of-runtime', 'docker stop → out of the runtime', perBackend, (b) => b.outMs),
        backendFigure('out-after-stopped', 'container stopped → out of the runtime', perBackend, (b) => b.outAfterStoppedMs),
        backendFigure('docker-stop', 'docker stop returns', perBackend, (b) => b.stopMs),
      ],
      notes: [`${leavers.length} webapps stopped one at a time, each once the previous one was out of the runtime`],
      raw: { perBackend },
    };
  },
};
