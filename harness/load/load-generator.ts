/**
 * Open-loop HTTP load (wrk2/vegeta style) for the end-to-end tests and the
 * benchmark: requests leave on a fixed schedule whatever the server does, so a
 * stalled backend shows up as failures and latency instead of a quiet pause.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { checkLoadOptions, type LoadOptions } from './load-options.ts';
import { LoadTally, type LoadReport } from './load-report.ts';
import { sendRequest, type RequestSpec } from './send-request.ts';

export type { LoadOptions, LoadRoute } from './load-options.ts';
export type { LoadReport } from './load-report.ts';
export type { FailureKind } from './classify-failure.ts';
export { formatReport } from './load-report.ts';

export interface LoadRun {
  /** Stops scheduling, waits for requests already sent (each bounded by timeoutMs), returns the final report. */
  stop(): Promise<LoadReport>;
  /** The final report, once durationMs is over (or stop() was called) and every request has settled. */
  done: Promise<LoadReport>;
  /** The report so far; requests still in flight are in `sent` only. */
  snapshot(): LoadReport;
}

/** `onFirstSeen` hears of each backend's first ok response (ms since the start), as it comes. */
export function startLoad(options: LoadOptions, onFirstSeen?: (backend: string, atMs: number) => void): LoadRun {
  const url = checkLoadOptions(options);
  const { rate, connections, timeoutMs } = options;
  const durationMs = options.durationMs ?? Infinity;
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: connections }) : false;
  const spec: RequestSpec = { url, method: options.method ?? 'GET', agent, timeoutMs, ca: options.ca, host: options.host };
  const specs: RequestSpec[] = options.routes?.map((r) => ({ ...spec, url: new URL(r.path, url), host: r.host })) ?? [spec];
  let sends = 0;

  const tally = new LoadTally(onFirstSeen);
  const startedAt = performance.now();
  const elapsed = (): number => performance.now() - startedAt;
  // From the index, not by adding intervals, so rounding never drifts the rate.
  const scheduledAt = (index: number): number => (index * 1000) / rate;

  let nextIndex = 0;
  let scheduling = true;
  let scheduler: NodeJS.Timeout | undefined;
  let inFlight = 0;
  // Scheduled times of sends waiting for a free connection, oldest first.
  const waiting: number[] = [];

  let finish!: (report: LoadReport) => void;
  const done = new Promise<LoadReport>((resolve) => (finish = resolve));

  function finishIfIdle(): void {
    if (scheduling || inFlight > 0 || waiting.length > 0) return;
    if (agent) agent.destroy();
    finish(tally.report());
  }

  function tick(): void {
    scheduler = undefined;
    const now = elapsed();
    // Several sends may be due at once when the rate is above the timer's resolution.
    while (scheduledAt(nextIndex) <= now && scheduledAt(nextIndex) < durationMs) {
      dispatch(scheduledAt(nextIndex));
      nextIndex += 1;
    }
    expireWaiting(now);
    if (scheduledAt(nextIndex) >= durationMs) {
      scheduling = false;
      finishIfIdle();
      return;
    }
    scheduler = setTimeout(tick, Math.max(0, scheduledAt(nextIndex) - elapsed()));
  }

  function dispatch(scheduledMs: number): void {
    tally.countSent();
    if (inFlight < connections) {
      send(scheduledMs);
      return;
    }
    tally.countMissed();
    waiting.push(scheduledMs);
  }

  function send(scheduledMs: number): void {
    inFlight += 1;
    const remainingMs = scheduledMs + timeoutMs - elapsed();
    void sendRequest(specs[sends++ % specs.length]!, remainingMs).then((outcome) => {
      inFlight -= 1;
      tally.record(outcome, scheduledMs, elapsed());
      startWaiting();
      finishIfIdle();
    });
  }

  function startWaiting(): void {
    expireWaiting(elapsed());
    while (inFlight < connections) {
      const scheduledMs = waiting.shift();
      if (scheduledMs === undefined) return;
      send(scheduledMs);
    }
  }

  // The deadline runs from the scheduled time, so a send that waited out its
  // whole timeout is a timeout; this also bounds the queue to rate * timeout.
  function expireWaiting(now: number): void {
    while (waiting[0] !== undefined && waiting[0] + timeoutMs <= now) {
      const scheduledMs = waiting.shift()!;
      tally.record({ ok: false, failure: 'timeout', message: `waited ${timeoutMs}ms for a free connection (all ${connections} busy)` }, scheduledMs, now);
    }
  }

  tick();

  return {
    stop() {
      scheduling = false;
      clearTimeout(scheduler);
      finishIfIdle();
      return done;
    },
    done,
    snapshot: () => tally.report(),
  };
}
