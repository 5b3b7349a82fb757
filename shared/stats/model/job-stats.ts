import type { CloneJob } from '../../clones/model/clone-job.js';
import type { CloneSource } from '../../clones/model/clone-request.js';
import { type JobMoments, momentsOf } from './job-moments.js';
import { type LatencySummary, summarize } from './latency-summary.js';

/** The time the statistics cover, cut into equal buckets (the last one may end early, at `to`). */
export type StatsWindow = { from: Date; to: Date; bucketMs: number };

/** One bucket of the service's series. Counts are of what happened inside it; gauges are taken at its end. */
export type StatsBucket = {
  at: string;
  accepted: number;
  succeeded: number;
  failed: number;
  /** Accept → SUCCEEDED of the jobs that succeeded in this bucket. */
  succeededP50Ms?: number;
  succeededP95Ms?: number;
  /** Gauge: jobs accepted and not yet taken by a worker. */
  queued: number;
  /** Gauge: jobs a worker has taken whose clone step has not ended. */
  running: number;
};
export type PoolBucket = { at: string; ready: number; claims: number };
export type LatencyBucket = { at: string; count: number; p50Ms?: number; p95Ms?: number };
export type SourceUse = { source: CloneSource; jobs: number; lastAt: string };

export type JobStats = {
  version: '1';
  window: { from: string; to: string; bucketSeconds: number };
  /** Jobs read to compute this; `truncated` when the read stopped at its cap (the figures then undercount). */
  jobsRead: number;
  truncated: boolean;
  totals: {
    accepted: number;
    succeeded: number;
    failed: number;
    /** Accept → SUCCEEDED. */
    acceptToSucceeded: LatencySummary;
    /** Accept → taken by a worker. */
    queueTime: LatencySummary;
    /** InstantClone_Task created → ended. */
    taskTime: LatencySummary;
  };
  series: StatsBucket[];
  pools: { name: string; series: PoolBucket[] }[];
  /** GitHub runner clones: webhook → runner powered on (a warm spare: → its JIT config set). */
  runners: { poweredOn: LatencySummary; series: LatencyBucket[] };
  /** Sources of the jobs read, most recently used first (at most 20): what the console's clone form offers. */
  sources: SourceUse[];
};

const MAX_SOURCES = 20;
const between = (t: number | undefined, from: number, to: number): t is number =>
  t !== undefined && t >= from && t < to;
const before = (t: number | undefined, end: number): boolean => t !== undefined && t <= end;

type Bucketing = { starts: number[]; index(t: number | undefined): number | undefined; end(i: number): number };

const bucketing = ({ from, to, bucketMs }: StatsWindow): Bucketing => {
  const first = from.getTime();
  const last = to.getTime();
  const starts = Array.from(
    { length: Math.max(1, Math.ceil((last - first) / bucketMs)) },
    (_, i) => first + i * bucketMs,
  );
  return {
    starts,
    index: (t) =>
      between(t, first, last + 1) ? Math.min(starts.length - 1, Math.floor((t - first) / bucketMs)) : undefined,
    end: (i) => Math.min(last, first + (i + 1) * bucketMs),
  };
};

const latencyBuckets = (b: Bucketing, samples: { at: number; ms: number }[]): LatencyBucket[] =>
  b.starts.map((start, i) => {
    const { count, p50Ms, p95Ms } = summarize(samples.filter((s) => b.index(s.at) === i).map((s) => s.ms));
    return { at: new Date(start).toISOString(), count, ...(p50Ms !== undefined && { p50Ms, p95Ms }) };
  });

const serviceSeries = (b: Bucketing, moments: JobMoments[]): StatsBucket[] =>
  b.starts.map((start, i) => {
    const end = b.end(i);
    const inBucket = (t: number | undefined) => b.index(t) === i;
    const succeeded = moments.filter((m) => inBucket(m.ready));
    const { p50Ms, p95Ms } = summarize(succeeded.map((m) => (m.ready ?? 0) - m.accepted));
    return {
      at: new Date(start).toISOString(),
      accepted: moments.filter((m) => inBucket(m.accepted)).length,
      succeeded: succeeded.length,
      failed: moments.filter((m) => inBucket(m.failed)).length,
      ...(p50Ms !== undefined && { succeededP50Ms: p50Ms, succeededP95Ms: p95Ms }),
      queued: moments.filter((m) => m.accepted <= end && !before(m.leftQueue, end)).length,
      running: moments.filter((m) => before(m.leftQueue, end) && !before(m.ended, end)).length,
    };
  });

const poolSeries = (b: Bucketing, moments: JobMoments[]): JobStats['pools'] => {
  const names = [...new Set(moments.flatMap((m) => (m.pool === undefined ? [] : [m.pool])))].sort();
  return names.map((name) => {
    const ofPool = moments.filter((m) => m.pool === name);
    const series = b.starts.map((start, i) => {
      const end = b.end(i);
      const spare = (m: JobMoments) => before(m.ready, end) && !before(m.claimed, end) && !before(m.gone, end);
      const claims = ofPool.filter((m) => b.index(m.claimed) === i).length;
      return { at: new Date(start).toISOString(), ready: ofPool.filter(spare).length, claims };
    });
    return { name, series };
  });
};

const sourceUses = (jobs: CloneJob[]): SourceUse[] => {
  const uses = new Map<string, SourceUse>();
  for (const job of jobs) {
    const key = JSON.stringify(job.request.source);
    const use = uses.get(key) ?? { source: job.request.source, jobs: 0, lastAt: job.createdAt };
    use.jobs += 1;
    if (job.createdAt > use.lastAt) use.lastAt = job.createdAt;
    uses.set(key, use);
  }
  return [...uses.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt)).slice(0, MAX_SOURCES);
};

/**
 * Statistics of `jobs` over `window`, computed from their timestamps alone (see JobMoments): counts per bucket,
 * accept → SUCCEEDED percentiles, queue and running gauges, per-pool ready spares and claims, GitHub runner
 * start-up times, and the sources in use. Pure: the caller decides which jobs to read (see makeGetStats).
 */
export const computeJobStats = (jobs: CloneJob[], window: StatsWindow, read = { truncated: false }): JobStats => {
  const b = bucketing(window);
  const from = window.from.getTime();
  const to = window.to.getTime() + 1;
  const moments = jobs.map(momentsOf);
  const inWindow = (t: number | undefined): t is number => between(t, from, to);
  const runnerSamples = moments.flatMap((m) =>
    m.runnerUp && inWindow(m.runnerUp.at) ? [{ at: m.runnerUp.at, ms: m.runnerUp.at - m.runnerUp.from }] : [],
  );
  return {
    version: '1',
    window: { from: window.from.toISOString(), to: window.to.toISOString(), bucketSeconds: window.bucketMs / 1000 },
    jobsRead: jobs.length,
    truncated: read.truncated,
    totals: {
      accepted: moments.filter((m) => inWindow(m.accepted)).length,
      succeeded: moments.filter((m) => inWindow(m.ready)).length,
      failed: moments.filter((m) => inWindow(m.failed)).length,
      acceptToSucceeded: summarize(moments.flatMap((m) => (inWindow(m.ready) ? [m.ready - m.accepted] : []))),
      queueTime: summarize(moments.flatMap((m) => (inWindow(m.leftQueue) ? [m.leftQueue - m.accepted] : []))),
      taskTime: summarize(
        moments.flatMap((m) =>
          inWindow(m.taskEnded) && m.taskStarted !== undefined ? [m.taskEnded - m.taskStarted] : [],
        ),
      ),
    },
    series: serviceSeries(b, moments),
    pools: poolSeries(b, moments),
    runners: { poweredOn: summarize(runnerSamples.map((s) => s.ms)), series: latencyBuckets(b, runnerSamples) },
    sources: sourceUses(jobs),
  };
};
