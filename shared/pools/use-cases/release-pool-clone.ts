import type { CloneJob } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { JobNotFoundError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import { claimerOf, poolOf } from '../model/pool.js';
import { NotClaimedError, NotInPoolError } from '../model/pool-errors.js';
import { POOL_DETAIL_TYPES } from '../model/pool-events.js';
import type { PoolEventPublisher } from '../ports/pool-ports.js';

export type ReleasePoolCloneDeps = {
  jobs: JobRepository;
  requestDestroy: (jobId: string) => Promise<CloneJob>;
  events: PoolEventPublisher;
  clock: Clock;
};

/**
 * `POST /v1/pools/{name}/release`: destroys a claimed clone through the DELETE use case and announces
 * `Pool Released` (which makes the scaler replenish). Safe to repeat. Rejects with JobNotFoundError,
 * NotInPoolError (a job of another pool or none), NotClaimedError (a spare), or StaleTransitionError.
 */
export const makeReleasePoolClone =
  ({ jobs, requestDestroy, events, clock }: ReleasePoolCloneDeps) =>
  async (name: string, jobId: string): Promise<CloneJob> => {
    const job = await jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    if (poolOf(job) !== name) throw new NotInPoolError(name, jobId);
    const claimedBy = claimerOf(job);
    if (claimedBy === undefined) throw new NotClaimedError(name, jobId);
    const destroying = await requestDestroy(jobId);
    await events.publish({
      detailType: POOL_DETAIL_TYPES.released,
      detail: { version: '1', pool: name, jobId, claimedBy, reason: 'released', at: clock.now().toISOString() },
    });
    return destroying;
  };

/**
 * The DELETE use case as lease expiry should run it for pools: a claimed pool clone whose lease ran out is announced
 * with `Pool Released` (`reason: lease expired`), as one given back is, so pool consumers see every claim end.
 * Other jobs pass through untouched. Rejects when destroying or publishing does (the lease reaper only sees
 * SUCCEEDED jobs, so an event that failed to publish after the destroy was requested is not sent again).
 */
export const announcingExpiredClaims =
  ({ requestDestroy, events, clock }: Omit<ReleasePoolCloneDeps, 'jobs'>) =>
  async (jobId: string): Promise<CloneJob> => {
    const job = await requestDestroy(jobId);
    const pool = poolOf(job);
    const claimedBy = claimerOf(job);
    if (pool === undefined || claimedBy === undefined || job.status !== 'DESTROYING') return job;
    await events.publish({
      detailType: POOL_DETAIL_TYPES.released,
      detail: { version: '1', pool, jobId, claimedBy, reason: 'lease expired', at: clock.now().toISOString() },
    });
    return job;
  };
