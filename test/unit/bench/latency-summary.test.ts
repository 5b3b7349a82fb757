import { describe, expect, it } from 'vitest';
import { percentile, summarise } from '../../../bench/latency-summary.js';

describe('Bench: latency summary', () => {
  it('takes nearest-rank percentiles, so p50 of 1..100 is 50 and p99 is 99', () => {
    // Prepare
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    // Act / Assess
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([
      50, 95, 99, 100,
    ]);
  });

  it('summarises unsorted latencies and rounds to 0.1 ms', () => {
    // Act
    const summary = summarise([3.333, 1.04, 2.25]);
    // Assess
    expect(summary).toEqual({ count: 3, min: 1, p50: 2.3, p95: 3.3, p99: 3.3, max: 3.3 });
  });

  it('answers zeros for no samples instead of NaN', () => {
    expect(summarise([])).toEqual({ count: 0, min: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
