import type { CloneJob, JobError } from '../../clones/model/clone-job.js';
import type { Pool, PoolCensus } from './pool.js';

/** How the scaler protects vCenter and itself. */
export type ScalingPolicy = {
  /** QUEUED + RUNNING jobs of the whole service never exceed this (VCENTER_MAX_CONCURRENCY). */
  maxInFlight: number;
  /** Consecutive failed pool clones that make the pool degraded. */
  failureThreshold: number;
  /** First back-off once degraded; doubles with every further failure, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
};

export const DEFAULT_SCALING_POLICY: ScalingPolicy = {
  maxInFlight: 8,
  failureThreshold: 3,
  backoffBaseMs: 60_000,
  backoffMaxMs: 30 * 60_000,
};

/** What became of the clones the scaler submitted earlier. */
export type OutstandingReview = { stillOutstanding: string[]; succeeded: number; failed: CloneJob[] };

/** Sorts the scaler's outstanding submissions (as just read, in the same order) into finished and not. */
export const reviewOutstanding = (ids: string[], loaded: (CloneJob | undefined)[]): OutstandingReview => {
  const review: OutstandingReview = { stillOutstanding: [], succeeded: 0, failed: [] };
  ids.forEach((id, i) => {
    const job = loaded[i];
    if (!job) return;
    if (job.status === 'QUEUED' || job.status === 'RUNNING') review.stillOutstanding.push(id);
    else if (job.status === 'FAILED') review.failed.push(job);
    else review.succeeded++;
  });
  return review;
};

export type ScalingPlan = {
  /** Spares wanted: `spare`, raised to keep `min` alive, capped so claimed + spares never exceed `max`. */
  want: number;
  submit: number;
  /** Ready spares to retire (oldest first). */
  retire: CloneJob[];
  failureStreak: number;
  backoffUntil?: string;
  degradedSince?: string;
  degradedReason?: string;
  /** New failures kept the pool at or above the threshold: announce `Pool Degraded`. */
  announceDegraded: boolean;
  /** Why fewer clones are submitted than missing, if so. */
  heldBackBy?: 'backoff' | 'caution' | 'concurrency-cap';
};

const describeError = (error: JobError | undefined): string =>
  error ? `${error.code}${error.fault ? ` ${error.fault}` : ''}: ${error.message}` : 'clone failed';

/**
 * Decides one scaling pass. Pure. After any failure the scaler turns cautious: one clone at a time, and only when
 * none is outstanding, so a broken source costs `failureThreshold` clones, not a loop. Degraded pools submit
 * nothing until `backoffUntil`, then one probe; a success clears the streak.
 */
export const planScaling = (
  pool: Pool,
  census: PoolCensus,
  review: OutstandingReview,
  policy: ScalingPolicy,
  now: Date,
): ScalingPlan => {
  const failureStreak = (review.succeeded > 0 ? 0 : pool.failureStreak) + review.failed.length;
  const healthy = failureStreak < policy.failureThreshold;
  const announceDegraded = !healthy && review.failed.length > 0;
  const backoffMs = Math.min(
    policy.backoffMaxMs,
    policy.backoffBaseMs * 2 ** Math.max(0, failureStreak - policy.failureThreshold),
  );
  const backoffUntil = healthy
    ? undefined
    : announceDegraded
      ? new Date(now.getTime() + backoffMs).toISOString()
      : pool.backoffUntil;
  const lastFailure = review.failed.at(-1);
  const degradedReason = healthy ? undefined : lastFailure ? describeError(lastFailure.error) : pool.degradedReason;

  const { spec } = pool;
  const claimed = census.claimed.length;
  const spares = census.ready.length + census.inFlight.length;
  const want = Math.max(0, Math.min(Math.max(spec.spare, spec.min - claimed), spec.max - claimed));
  const missing = Math.max(0, want - spares);
  const capacity = Math.max(0, policy.maxInFlight - census.serviceInFlight);
  const inBackoff = backoffUntil !== undefined && Date.parse(backoffUntil) > now.getTime();
  const cautious = failureStreak > 0 && review.stillOutstanding.length > 0 ? 0 : 1;
  const limits: Array<[ScalingPlan['heldBackBy'], number]> = [
    ['backoff', inBackoff ? 0 : missing],
    ['caution', failureStreak > 0 ? cautious : missing],
    ['concurrency-cap', capacity],
  ];
  const submit = Math.min(missing, ...limits.map(([, n]) => n));
  const heldBackBy = submit < missing ? limits.find(([, n]) => n === submit)?.[0] : undefined;
  return {
    want,
    submit,
    retire: census.ready.slice(0, Math.max(0, spares - want)),
    failureStreak,
    ...(backoffUntil && { backoffUntil }),
    ...(!healthy && { degradedSince: pool.degradedSince ?? now.toISOString() }),
    ...(degradedReason && { degradedReason }),
    announceDegraded,
    ...(heldBackBy && { heldBackBy }),
  };
};
