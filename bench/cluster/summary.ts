export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest rank, as the load generator does it; undefined for no samples. */
export function summarize(samples: readonly number[]): Summary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { n: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1]! };
}

/** Milliseconds as seconds, two decimals: the resolution the watchers have. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
