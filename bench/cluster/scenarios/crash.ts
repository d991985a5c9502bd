// Crash: SIGKILL two of four webapps at once (no Serf leave, no drain). HAProxy
// must retry the GETs that were on them; then health checks mark them DOWN
// and Serf's failure detection (or, in the dns mode, the name no longer
// resolving to them) takes them out of the runtime.
import { setTimeout as sleep } from 'node:timers/promises';
import { backendFigure, backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const all = backendNames('k', 1, 4);
const killed = all.slice(2);

export const crash: Scenario = {
  name: 'crash',
  title: 'Crash: SIGKILL 2 of 4 backends at once',
  connection: 'keep-alive',
  async run(bench) {
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await bench.converged(all);
    await bench.startLoad();
    await sleep(2000);
    const killedAt = await Promise.all(killed.map((name) => bench.kill(name)));

    const perBackend: Record<string, { downMs: number | null; outMs: number | null }> = {};
    await Promise.all(killed.map(async (name, i) => {
      const at = killedAt[i]!;
      const [isDown, removed] = await Promise.all([
        bench.runtime.down(name, at, 30_000).catch(() => undefined),
        bench.runtime.out(name, at, 60_000).catch(() => undefined),
      ]);
      perBackend[name] = { downMs: isDown === undefined ? null : isDown - at, outMs: removed === undefined ? null : removed - at };
      bench.log(`${name}: not UP in the stats after ${perBackend[name].downMs} ms, out of the runtime after ${perBackend[name].outMs} ms`);
    }));
    await sleep(2000);
    const report = await requireLoadReport(bench.stopLoad());
    return {
      report,
      times: [
        backendFigure('down', 'kill → not UP in stats', perBackend, (b) => b.downMs),
        backendFigure('out-of-runtime', 'kill → out of the runtime', perBackend, (b) => b.outMs),
      ],
      notes: [`${killed.join(' and ')} killed with docker kill (SIGKILL) at the same moment; every request is a GET`],
      raw: { perBackend },
    };
  },
};
