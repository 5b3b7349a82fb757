import type { CloneJob } from '../domain/clone-job.js';
import { JobNotFoundError } from '../domain/errors.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { Clock } from '../ports/runtime.js';
import { claimerOf, poolOf } from './pool-census.js';
import { NotClaimedError, NotInPoolError } from './pool-errors.js';
import { POOL_DETAIL_TYPES } from './pool-events.js';
import type { PoolEventPublisher } from './pool-ports.js';

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
      detail: { version: '1', pool: name, jobId, claimedBy, at: clock.now().toISOString() },
    });
    return destroying;
  };
