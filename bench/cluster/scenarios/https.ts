// HTTPS beside HTTP: the same open-loop load, same shape, on 3 backends,
// first to HAProxy's HTTP port, then to its HTTPS port (TLS terminated by
// HAProxy, the certificate it made at start checked against its CA). The
// row's figures are the HTTP phase's; the HTTPS phase is in the notes, as
// requests/s answered and p99, side by side.
import { setTimeout as sleep } from 'node:timers/promises';
import { formatReport, type LoadReport } from '../../../harness/load/load-generator.ts';
import { startLoadThread } from '../../../harness/load/load-thread.ts';
import { loadOptions } from '../run/load-shape.ts';
import { backendNames, requireLoadReport, type Scenario } from '../run/scenario.ts';

const all = backendNames('t', 1, 3);
const PHASE_MS = 15_000;
// Where the ha container's tls-default put the CA when no keys volume is mounted.
const CA_IN_HA = '/run/haproxy/tls/local/ca.crt';

const perSecond = (report: LoadReport): number => report.ok / (PHASE_MS / 1000);
const figures = (name: string, report: LoadReport): string =>
  `${name}: ${perSecond(report).toFixed(0)} req/s answered, p50/p95/p99 ${[report.latencyMs.p50, report.latencyMs.p95, report.latencyMs.p99].map((ms) => ms.toFixed(1)).join('/')} ms, ${report.failed} failed`;

export const https: Scenario = {
  name: 'https',
  title: 'HTTPS beside HTTP: same load, TLS terminated by HAProxy',
  // As browsers and API clients use HTTPS; --connection new makes every
  // request a full handshake, on the load generator's side too.
  connection: 'keep-alive',
  async run(bench) {
    const port = bench.ports.https;
    if (port === undefined) throw new Error("Expected ha's HTTPS port to be published, got none");
    await Promise.all(all.map((name) => bench.startWebapp(name)));
    await bench.converged(all);
    const ca = await bench.cluster.exec('ha', ['cat', CA_IN_HA]);

    await bench.startLoad();
    await sleep(PHASE_MS);
    const http = await requireLoadReport(bench.stopLoad());
    bench.log(figures('HTTP', http));

    const options = loadOptions(bench.ports.http, bench.shape);
    const tls = startLoadThread({ ...options, url: `https://localhost:${port}/`, ca });
    await tls.started;
    await sleep(PHASE_MS);
    const secure = await tls.stop();
    bench.log(figures('HTTPS', secure));
    return {
      report: http,
      times: [],
      notes: [
        `${figures('HTTP', http)}; ${figures('HTTPS', secure)} (TLS 1.3, ECDSA P-256, ${bench.shape.connection === 'new' ? 'a handshake per request' : `keep-alive: the ${bench.shape.connections} handshakes at the start are the tail`})`,
        ...(secure.failed > 0 ? [`HTTPS failures: ${formatReport(secure).split('\n').slice(0, 3).join(' ')}`] : []),
      ],
      raw: { phaseMs: PHASE_MS, http: { perSecond: perSecond(http), latencyMs: http.latencyMs }, https: { perSecond: perSecond(secure), latencyMs: secure.latencyMs, report: secure } },
    };
  },
};
