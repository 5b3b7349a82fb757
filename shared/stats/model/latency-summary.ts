/** How long something took across many jobs: nearest-rank percentiles, in milliseconds. */
export type LatencySummary = { count: number; p50Ms?: number; p95Ms?: number; maxMs?: number };

/**
 * The `q` quantile (0 < q ≤ 1) of `values` by nearest rank: the smallest value with at least q of all values at or
 * below it, so it is always one of the values (never interpolated). Undefined for no values.
 */
export const percentile = (values: readonly number[], q: number): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
};

/** p50, p95 and max of `values` (durations in ms; negative ones, from clock skew, count as 0). */
export const summarize = (values: readonly number[]): LatencySummary => {
  const durations = values.map((v) => Math.max(0, v));
  if (durations.length === 0) return { count: 0 };
  return {
    count: durations.length,
    p50Ms: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
    maxMs: Math.max(...durations),
  };
};
