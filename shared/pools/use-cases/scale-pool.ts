import type { CloneJob } from '../../clones/model/clone-job.js';
import type { CloneRequest } from '../../clones/model/clone-request.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import type { Clock, IdGenerator } from '../../runtime/runtime.js';
import { type Pool, poolCloneRequest, type ScalingState } from '../model/pool.js';
import { POOL_DETAIL_TYPES } from '../model/pool-events.js';
import { DEFAULT_SCALING_POLICY, planScaling, reviewOutstanding, type ScalingPolicy } from '../model/scaling-plan.js';
import type { PoolClaims, PoolEventPublisher, PoolRepository } from '../ports/pool-ports.js';
import { takeCensus } from './pool-census.js';

/** Claimer recorded on spares the scaler retires, so no claim can take them on their way out. */
export const RETIRED_CLAIMER = 'instaclone:retired';
/** The scaling lease outlives any pass (the scaler function's timeout is below it). */
export const SCALING_LEASE_MS = 90_000;
/** Passes one run makes at most when triggers keep arriving meanwhile; the schedule catches the rest. */
const MAX_PASSES = 3;

export type ScalePoolDeps = {
  pools: PoolRepository;
  jobs: JobRepository;
  claims: PoolClaims;
  submitClone: (request: CloneRequest) => Promise<CloneJob[]>;
  requestDestroy: (jobId: string) => Promise<CloneJob>;
  events: PoolEventPublisher;
  clock: Clock;
  ids: IdGenerator;
  policy?: Partial<ScalingPolicy>;
};

export type ScaleOutcome = {
  pool: string;
  /** `busy`: another run holds the lease and was asked for another pass; `no-pool`: nothing to do. */
  outcome: 'scaled' | 'busy' | 'no-pool';
  ready: number;
  inFlight: number;
  claimed: number;
  submitted: string[];
  retired: string[];
  degraded: boolean;
  heldBackBy?: 'backoff' | 'caution' | 'concurrency-cap';
};

const idle = (pool: string, outcome: ScaleOutcome['outcome']): ScaleOutcome => ({
  pool,
  outcome,
  ...{ ready: 0, inFlight: 0, claimed: 0, submitted: [], retired: [], degraded: false },
});

/**
 * One scaling run of a pool: converges its spares to the spec, recomputed from the table every time, so
 * duplicate or out-of-order triggers are harmless. Only the holder of the pool's scaling lease submits or retires;
 * a run that finds the lease taken marks the pool dirty and the holder makes another pass. Submitted job ids are
 * written back with the lease, so the next pass sees them even before the status index does.
 * Rejects when the table, queue or bus fail (after writing back what it did); the next trigger resumes.
 */
export const makeScalePool = (deps: ScalePoolDeps) => {
  const { pools, jobs, claims, clock, ids } = deps;
  const policy: ScalingPolicy = { ...DEFAULT_SCALING_POLICY, ...deps.policy };

  const acquire = async (name: string, owner: string) => {
    const lease = { owner, now: clock.now(), leaseMs: SCALING_LEASE_MS };
    const first = await pools.acquireScaling(name, lease);
    if (first !== 'busy') return first;
    await pools.markDirty(name);
    return pools.acquireScaling(name, { ...lease, now: clock.now() });
  };

  const retire = async (pool: Pool, job: CloneJob, now: Date): Promise<boolean> => {
    const claim = { pool: pool.name, claimedBy: RETIRED_CLAIMER, leaseExpiresAt: now.toISOString(), now };
    if (!(await claims.claimSpare(job.jobId, claim))) return false;
    await deps.requestDestroy(job.jobId);
    return true;
  };

  const pass = async (pool: Pool, state: ScalingState, outcome: ScaleOutcome) => {
    const now = clock.now();
    const loaded = await Promise.all(pool.outstanding.map((id) => jobs.get(id)));
    const review = reviewOutstanding(pool.outstanding, loaded);
    const census = await takeCensus(
      jobs,
      pool.name,
      loaded.filter((j): j is CloneJob => j !== undefined),
    );
    const plan = planScaling(pool, census, review, policy, now);
    Object.assign(state, {
      outstanding: review.stillOutstanding,
      failureStreak: plan.failureStreak,
      backoffUntil: plan.backoffUntil,
      degradedSince: plan.degradedSince,
      degradedReason: plan.degradedReason,
    });
    Object.assign(outcome, {
      ready: census.ready.length,
      inFlight: census.inFlight.length,
      claimed: census.claimed.length,
      degraded: plan.degradedSince !== undefined,
      ...(plan.heldBackBy && { heldBackBy: plan.heldBackBy }),
    });
    for (let i = 0; i < plan.submit; i++) {
      const request = poolCloneRequest(pool, { sourceIndex: state.sourceCursor, uniqueId: ids.jobId() });
      const [job] = await deps.submitClone(request);
      if (!job) continue;
      state.outstanding.push(job.jobId);
      state.sourceCursor++;
      outcome.submitted.push(job.jobId);
    }
    for (const job of plan.retire) if (await retire(pool, job, now)) outcome.retired.push(job.jobId);
    return plan.announceDegraded ? { failed: review.failed, plan, now } : undefined;
  };

  return async (name: string): Promise<ScaleOutcome> => {
    const outcome = idle(name, 'scaled');
    for (let passes = 1; ; passes++) {
      const owner = ids.jobId();
      const pool = await acquire(name, owner);
      if (pool === undefined) return idle(name, 'no-pool');
      if (pool === 'busy') return passes === 1 ? idle(name, 'busy') : outcome;
      const state: ScalingState = {
        outstanding: pool.outstanding,
        failureStreak: pool.failureStreak,
        sourceCursor: pool.sourceCursor,
        lastScaledAt: clock.now().toISOString(),
      };
      // Written back even when the pass failed half-way: what was submitted must stay outstanding.
      const settled = await pass(pool, state, outcome).then(
        (degraded) => ({ ok: true as const, degraded }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      const released = await pools.releaseScaling(name, owner, state);
      if (!settled.ok) throw settled.error;
      const { degraded } = settled;
      if (degraded) {
        const { failed, plan, now } = degraded;
        const last = failed.at(-1)?.error;
        await deps.events.publish({
          detailType: POOL_DETAIL_TYPES.degraded,
          detail: {
            version: '1',
            pool: name,
            failureStreak: plan.failureStreak,
            backoffUntil: plan.backoffUntil ?? now.toISOString(),
            failedJobIds: failed.map((j) => j.jobId),
            ...(last && {
              lastError: { code: last.code, message: last.message, ...(last.fault && { fault: last.fault }) },
            }),
            at: now.toISOString(),
          },
        });
      }
      if (!released.dirty || released.lost || passes >= MAX_PASSES) return outcome;
    }
  };
};
