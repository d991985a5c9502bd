import { FAILURE_KINDS, type FailureKind } from './classify-failure.ts';
import type { RequestOutcome } from './send-request.ts';
import { ascending, nearestRank } from '../percentile.ts';

export interface LoadReport {
  /** Requests scheduled so far; once the run is over, sent === ok + failed. */
  sent: number;
  ok: number;
  failed: number;
  failures: Record<FailureKind, number>;
  /** Ok responses per `x-backend` header value (responses without it are in `ok` only). */
  backends: Record<string, number>;
  /** Ms from the start of the run to the first ok response from each backend. */
  firstSeen: Record<string, number>;
  /**
   * Outcomes bucketed by the second the request was scheduled in, so a failure
   * lines up with whatever happened when it was sent, even if it surfaced later.
   */
  perSecond: { second: number; ok: number; failed: number }[];
  /** Of ok responses, from the scheduled send time, so waiting for a connection counts. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /**
   * Scheduled sends that found all `connections` busy and waited for one. They
   * are still sent (or time out waiting); this says how far the run fell behind
   * its schedule, the coordinated omission a closed-loop client would hide.
   */
  missed: number;
  /** The first few distinct failure messages, prefixed with their kind. */
  errors: string[];
}

const MAX_ERRORS = 10;

/** Accumulates outcomes as they arrive; report() gives a copy at any time. */
export class LoadTally {
  /** `onFirstSeen` hears of each backend's first ok response as it is recorded. */
  constructor(private readonly onFirstSeen?: (backend: string, atMs: number) => void) {}

  private sent = 0;
  private missed = 0;
  private readonly failures = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, 0])) as Record<FailureKind, number>;
  private readonly backends = new Map<string, number>();
  private readonly firstSeen = new Map<string, number>();
  private readonly seconds: { ok: number; failed: number }[] = [];
  private readonly latencies: number[] = [];
  private readonly errors = new Set<string>();

  countSent(): void {
    this.sent += 1;
  }

  countMissed(): void {
    this.missed += 1;
  }

  /** Records one finished request; times are ms since the start of the run. */
  record(outcome: RequestOutcome, scheduledMs: number, completedMs: number): void {
    const second = Math.floor(scheduledMs / 1000);
    for (let s = this.seconds.length; s <= second; s++) this.seconds.push({ ok: 0, failed: 0 });
    const bucket = this.seconds[second]!;
    if (!outcome.ok) {
      bucket.failed += 1;
      this.failures[outcome.failure] += 1;
      if (this.errors.size < MAX_ERRORS) this.errors.add(`${outcome.failure}: ${outcome.message}`);
      return;
    }
    bucket.ok += 1;
    this.latencies.push(completedMs - scheduledMs);
    if (outcome.backend !== undefined) {
      this.backends.set(outcome.backend, (this.backends.get(outcome.backend) ?? 0) + 1);
      if (!this.firstSeen.has(outcome.backend)) {
        this.firstSeen.set(outcome.backend, Math.round(completedMs));
        this.onFirstSeen?.(outcome.backend, Math.round(completedMs));
      }
    }
  }

  report(): LoadReport {
    const failed = FAILURE_KINDS.reduce((sum, kind) => sum + this.failures[kind], 0);
    return {
      sent: this.sent,
      ok: this.latencies.length,
      failed,
      failures: { ...this.failures },
      backends: Object.fromEntries(this.backends),
      firstSeen: Object.fromEntries(this.firstSeen),
      perSecond: this.seconds.map((bucket, second) => ({ second, ...bucket })),
      latencyMs: latencySummary(this.latencies),
      missed: this.missed,
      errors: [...this.errors],
    };
  }
}

function latencySummary(latencies: readonly number[]): LoadReport['latencyMs'] {
  const sorted = ascending(latencies);
  const at = (p: number): number => round(nearestRank(sorted, p) ?? 0);
  return { p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** One line for logs: counts first, then latency. */
export function formatReport(report: LoadReport): string {
  const { failures: f, latencyMs: l } = report;
  return [
    `sent=${report.sent} ok=${report.ok} failed=${report.failed}`,
    `connect=${f.connect} reset=${f.reset} timeout=${f.timeout} 5xx=${f.http5xx} 4xx=${f.http4xx} other=${f.other}`,
    `missed=${report.missed} p50=${l.p50}ms p95=${l.p95}ms p99=${l.p99}ms`,
  ].join(' ');
}
