import { ascending, nearestRank } from '../../../harness/percentile.ts';

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest rank, as the load generator does it; undefined for no samples. */
export function summarize(samples: readonly number[]): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = ascending(samples);
  const at = (p: number): number => nearestRank(sorted, p)!;
  return { n: sorted.length, p50: at(50), p95: at(95), max: at(100) };
}

/** Milliseconds as seconds, two decimals: the resolution the watchers have. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
