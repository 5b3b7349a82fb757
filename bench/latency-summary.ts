/** Latency figures of one run, in milliseconds rounded to 0.1 ms. */
export type LatencySummary = { count: number; min: number; p50: number; p95: number; p99: number; max: number };

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Nearest-rank percentile of an ascending array (`p` in 0..100); 0 for an empty array. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0);

/** Summarises raw latencies (any order) as min, p50, p95, p99 and max. */
export const summarise = (latenciesMs: readonly number[]): LatencySummary => {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: round(sorted[0] ?? 0),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
};
