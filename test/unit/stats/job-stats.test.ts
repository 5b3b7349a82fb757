import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { CLAIMED_BY_LABEL, POOL_LABEL } from '#shared/pools/model/pool';
import { RUNNER_LABELS } from '#shared/runners/model/github-webhook';
import { computeJobStats } from '#shared/stats/model/job-stats';
import { percentile, summarize } from '#shared/stats/model/latency-summary';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');
/** ISO time `minutes` (and `ms`) after 12:00. */
const at = (minutes: number, ms = 0) => new Date(T0 + minutes * 60_000 + ms).toISOString();
const window = { from: new Date(T0), to: new Date(T0 + 10 * 60_000), bucketMs: 60_000 };

let next = 0;
const job = (fields: Partial<CloneJob> & { labels?: Record<string, string> }): CloneJob => {
  const { labels, ...rest } = fields;
  next += 1;
  return {
    jobId: `job-${next}`,
    status: 'SUCCEEDED',
    version: 3,
    request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' }, ...(labels && { labels }) }),
    vmName: `vm-${next}`,
    createdAt: at(0),
    updatedAt: at(0),
    ...rest,
  };
};

describe('Statistics: percentiles', () => {
  it('takes the nearest rank, so a percentile is always one of the values', () => {
    // Act
    const values = [40, 10, 30, 20];
    // Assess
    expect([percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.25)]).toEqual([20, 40, 10]);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('summarizes durations, counting clock skew below zero as zero', () => {
    // Act
    const summary = summarize([
      -5, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900,
    ]);
    // Assess
    expect(summary).toEqual({ count: 20, p50Ms: 900, p95Ms: 1800, maxMs: 1900 });
    expect(summarize([])).toEqual({ count: 0 });
  });
});

describe('Statistics: computed from job timestamps', () => {
  it('counts accepted and succeeded jobs per bucket with their accept → SUCCEEDED percentiles', () => {
    // Prepare: three jobs accepted in minute 1, ready 200, 400 and 2,000 ms later; one failed in minute 3.
    const jobs = [200, 400, 2000].map((ms) => job({ createdAt: at(1), startedAt: at(1, 50), readyAt: at(1, ms) }));
    jobs.push(job({ status: 'FAILED', createdAt: at(3), startedAt: at(3, 10), updatedAt: at(3, 500) }));
    // Act
    const stats = computeJobStats(jobs, window);
    // Assess
    expect(stats.series).toHaveLength(10);
    expect(stats.series[1]).toMatchObject({ accepted: 3, succeeded: 3, succeededP50Ms: 400, succeededP95Ms: 2000 });
    expect(stats.series[3]).toMatchObject({ accepted: 1, failed: 1, succeeded: 0 });
    expect(stats.series[3]?.succeededP50Ms).toBeUndefined();
    expect(stats.totals).toMatchObject({ accepted: 4, succeeded: 3, failed: 1 });
    expect(stats.totals.acceptToSucceeded).toEqual({ count: 3, p50Ms: 400, p95Ms: 2000, maxMs: 2000 });
    expect(stats.totals.queueTime).toMatchObject({ count: 4, p50Ms: 50 });
  });

  it('gauges the queue and the jobs running at the end of each bucket', () => {
    // Prepare: queued at 0:30, taken at 2:30, clone ended at 4:30; one still queued since 5:10.
    const jobs = [
      job({ createdAt: at(0, 30_000), startedAt: at(2, 30_000), readyAt: at(4, 30_000) }),
      job({ status: 'QUEUED', createdAt: at(5, 10_000) }),
    ];
    // Act
    const stats = computeJobStats(jobs, window);
    // Assess
    expect(stats.series.map((b) => b.queued)).toEqual([1, 1, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(stats.series.map((b) => b.running)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('follows each pool: spares ready until claimed or destroyed, and claims per bucket', () => {
    // Prepare: two spares ready just after 1:00 and one retired at 2:00; one claimed at 3:30; a fresh claim (born claimed) at 6:00.
    const pool = { [POOL_LABEL]: 'ci' };
    const jobs = [
      job({ labels: pool, createdAt: at(0, 30_000), readyAt: at(1, 1) }),
      job({
        labels: { ...pool, [CLAIMED_BY_LABEL]: 'b-1' },
        createdAt: at(0, 30_000),
        readyAt: at(1, 1),
        claimedAt: at(3, 30_000),
      }),
      job({ labels: { ...pool, [CLAIMED_BY_LABEL]: 'b-2' }, createdAt: at(6), readyAt: at(6, 300) }),
      job({ labels: pool, status: 'DESTROYED', createdAt: at(0), readyAt: at(0, 500), destroyedAt: at(2, 1) }),
    ];
    // Act
    const stats = computeJobStats(jobs, window);
    // Assess
    const [ci] = stats.pools;
    expect(ci?.name).toBe('ci');
    expect(ci?.series.map((b) => b.ready)).toEqual([1, 3, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(ci?.series.map((b) => b.claims)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('times GitHub runners from the webhook to a powered-on runner, cold or from a warm spare', () => {
    // Prepare: a cold runner clone ready 1.5 s after its webhook; a warm spare claimed at 4:00, configured 150 ms later.
    const jobs = [
      job({ labels: { [RUNNER_LABELS.pool]: 'linux' }, createdAt: at(2), readyAt: at(2, 1500) }),
      job({
        labels: { [RUNNER_LABELS.pool]: 'linux', [RUNNER_LABELS.warm]: 'warm', [POOL_LABEL]: 'warm' },
        createdAt: at(0),
        readyAt: at(0, 300),
        claimedAt: at(4),
        configuredAt: at(4, 150),
      }),
    ];
    // Act
    const stats = computeJobStats(jobs, window);
    // Assess
    expect(stats.runners.poweredOn).toEqual({ count: 2, p50Ms: 150, p95Ms: 1500, maxMs: 1500 });
    expect(stats.runners.series[2]).toMatchObject({ count: 1, p50Ms: 1500 });
    expect(stats.runners.series[4]).toMatchObject({ count: 1, p50Ms: 150 });
  });

  it('lists the sources in use, most recently used first', () => {
    // Prepare
    const other = CloneRequestSchema.parse({ source: { moref: 'vm-42' } });
    const jobs = [job({ createdAt: at(1) }), job({ createdAt: at(2), request: other }), job({ createdAt: at(3) })];
    // Act
    const { sources } = computeJobStats(jobs, window);
    // Assess
    expect(sources).toEqual([
      { source: { path: '/DC0/vm/golden' }, jobs: 2, lastAt: at(3) },
      { source: { moref: 'vm-42' }, jobs: 1, lastAt: at(2) },
    ]);
  });
});
