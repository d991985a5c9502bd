// Several services on one entry point: three (two by Host, one by a path
// prefix) under one load that takes each route in turn. Each service is
// scaled 1 → 3 → 1 in turn, then a fourth service appears: what a change of
// servers costs (reloads, failed requests) beside what a new backend costs.
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../../harness/docker/wait-for.ts';
import type { LoadRoute } from '../../../harness/load/load-generator.ts';
import { get } from '../../../harness/observe/cluster-state.ts';
import { enginePasses } from '../ha-log/engine-passes.ts';
import { haLogLines } from '../ha-log/log-lines.ts';
import { failedBetween } from '../report/phase-failures.ts';
import type { BenchRun } from '../run/bench-run.ts';
import { backendFigure, requireLoadReport, type Scenario } from '../run/scenario.ts';

interface Service {
  name: string;
  env: Record<string, string>;
  route: LoadRoute;
}

const SERVICES: Service[] = [
  { name: 'shop', env: { LB_SERVICE: 'shop', LB_HOSTS: 'shop.localhost' }, route: { host: 'shop.localhost', path: '/' } },
  { name: 'blog', env: { LB_SERVICE: 'blog', LB_HOSTS: 'blog.localhost' }, route: { host: 'blog.localhost', path: '/' } },
  { name: 'docs', env: { LB_SERVICE: 'docs', LB_PATH: '/docs' }, route: { host: 'any.localhost', path: '/docs/intro' } },
];
const FOURTH: Service = { name: 'news', env: { LB_SERVICE: 'news', LB_HOSTS: 'news.localhost' }, route: { host: 'news.localhost', path: '/' } };
const WAIT_MS = 60_000;

interface Arrival {
  startedAtMs: number | null;
  trafficAt: number | null;
}

/** Epoch ms of the first 200 from `backend` on `service`'s route, polled every 50 ms, always at 127.0.0.1. */
async function servedBy(bench: BenchRun, service: Service, backend: string): Promise<number> {
  const { host, path } = service.route;
  const answeredBy = async () => {
    const answer = await get(bench.ports.http, path, host);
    return `${answer.status} from ${String(answer.headers['x-backend'] ?? 'ha')}`;
  };
  await waitFor(`${host}${path} to be served by ${backend}`, answeredBy, (seen) => seen === `200 from ${backend}`, WAIT_MS, 50);
  return Date.now();
}

export const services: Scenario = {
  name: 'services',
  title: `Services: ${SERVICES.length} on one entry point (2 by Host, 1 by path), each scaled 1 → 3 → 1, then a 4th`,
  connection: 'keep-alive',
  onlyIn: { modes: ['seamless', 'restart'], why: "HAProxy's DNS discovery learns servers, not services: each needs a backend and a route written by hand" },
  async run(bench) {
    await Promise.all(SERVICES.map((s) => bench.startWebapp(`${s.name}1`, { env: s.env })));
    await Promise.all(SERVICES.map((s) => servedBy(bench, s, `${s.name}1`)));
    await bench.startLoad(SERVICES.map((s) => s.route));
    await sleep(2000);

    const scaleAt = Date.now();
    const arrivals: Record<string, Arrival> = {};
    for (const service of SERVICES) {
      const more = [`${service.name}2`, `${service.name}3`];
      await Promise.all(more.map((name) => bench.startWebapp(name, { env: service.env })));
      await Promise.all(more.map(async (name) => {
        const [seen, start] = await Promise.allSettled([bench.firstResponse(name, WAIT_MS), bench.started(name)]);
        arrivals[name] = { trafficAt: seen.status === 'fulfilled' ? seen.value : null, startedAtMs: start.status === 'fulfilled' ? start.value.startedAtMs : null };
      }));
      await sleep(1000);
      await Promise.all(more.map((name) => bench.stop(name)));
      bench.log(`${service.name}: 1 → 3 → 1 done`);
      await sleep(1000);
    }

    const newAt = Date.now();
    const runAt = await bench.startWebapp(`${FOURTH.name}1`, { env: FOURTH.env });
    const fourthServedAt = await servedBy(bench, FOURTH, `${FOURTH.name}1`);
    bench.log(`${FOURTH.name}: served ${fourthServedAt - runAt} ms after its docker run`);
    await sleep(2000);
    const endAt = Date.now();
    const report = await requireLoadReport(bench.stopLoad());

    const passes = enginePasses(await haLogLines(bench.cluster));
    const reloadsIn = (from: number, until: number) => passes.filter((p) => p.reload && p.endedAtMs >= from && p.endedAtMs < until).length;
    const reloads = { scaling: reloadsIn(scaleAt, newAt), newService: reloadsIn(newAt, endAt) };
    const origin = bench.timeline.origin;
    const failedWhile = { scaling: failedBetween(report, scaleAt - origin, newAt - origin), newService: failedBetween(report, newAt - origin, endAt - origin) };
    const answered = Object.fromEntries(SERVICES.map((s) => [s.name, Object.entries(report.backends).filter(([b]) => b.startsWith(s.name)).reduce((sum, [, n]) => sum + n, 0)]));
    return {
      report,
      times: [
        backendFigure('traffic-start', 'container start → first response (by Host or path)', arrivals, (a) => (a.startedAtMs === null || a.trafficAt === null ? null : Math.round(a.trafficAt - a.startedAtMs))),
        { id: 'new-service', what: `docker run → first response of a new service`, samplesMs: [fourthServedAt - runAt], missing: [] },
      ],
      notes: [
        `routes: ${SERVICES.map((s) => `${s.name} ${s.route.host}${s.route.path}`).join(', ')}; answered ${SERVICES.map((s) => `${s.name} ${answered[s.name]}`).join(', ')}`,
        `scaling each 1 → 3 → 1: ${reloads.scaling} reloads, ${failedWhile.scaling} failed; a 4th service (${FOURTH.route.host}): ${reloads.newService} reloads, ${failedWhile.newService} failed`,
      ],
      raw: { arrivals, reloads, failedWhile, answered, fourth: { runAt, servedAt: fourthServedAt } },
    };
  },
};
