/**
 * Nearest rank: the smallest sample that at least p% of the samples do not
 * exceed. Samples must be sorted ascending; undefined when there are none.
 */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ascending = (samples: readonly number[]): number[] => [...samples].sort((a, b) => a - b);
