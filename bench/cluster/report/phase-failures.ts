import type { LoadReport } from '../../../harness/load/load-report.ts';

/**
 * Failed requests sent from `fromMs` until `untilMs` (ms since the load
 * started), to the second: the report buckets outcomes by the second they
 * were sent in, and a bucket counts for the phase its start falls in.
 */
export function failedBetween(report: Pick<LoadReport, 'perSecond'>, fromMs: number, untilMs: number): number {
  const first = Math.floor(fromMs / 1000);
  const last = Math.floor(untilMs / 1000);
  return report.perSecond.filter((b) => b.second >= first && b.second < last).reduce((sum, b) => sum + b.failed, 0);
}
