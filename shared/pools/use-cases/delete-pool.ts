import type { CloneJob } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { StaleTransitionError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import { PoolNotFoundError } from '../model/pool-errors.js';
import type { PoolClaims, PoolRepository } from '../ports/pool-ports.js';
import { takeCensus } from './pool-census.js';
import { RETIRED_CLAIMER } from './scale-pool.js';

export type DeletePoolDeps = {
  pools: PoolRepository;
  jobs: JobRepository;
  claims: PoolClaims;
  requestDestroy: (jobId: string) => Promise<CloneJob>;
  clock: Clock;
};

/**
 * `DELETE /v1/pools/{name}`: removes the pool first (so no scaler run refills it), then destroys its spares:
 * ready ones are claimed for retirement before the destroy (a concurrent claim cannot take them), clones still in
 * flight are destroyed as soon as they exist. Claimed clones keep their lease. Resolves with the retired job ids;
 * rejects with PoolNotFoundError.
 */
/** A clone in flight may move on between read and write; requestDestroy re-reads it, so a retry settles it. */
const destroyWithRetry = async (requestDestroy: (jobId: string) => Promise<CloneJob>, jobId: string) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestDestroy(jobId);
    } catch (err) {
      if (!(err instanceof StaleTransitionError) || attempt >= 3) throw err;
    }
  }
};

export const makeDeletePool =
  ({ pools, jobs, claims, requestDestroy, clock }: DeletePoolDeps) =>
  async (name: string): Promise<{ pool: string; retired: string[] }> => {
    if (!(await pools.delete(name))) throw new PoolNotFoundError(name);
    const census = await takeCensus(jobs, name);
    const retired: string[] = [];
    const now = clock.now();
    for (const job of census.ready) {
      const claim = { pool: name, claimedBy: RETIRED_CLAIMER, leaseExpiresAt: now.toISOString(), now };
      if (!(await claims.claimSpare(job.jobId, claim))) continue;
      await requestDestroy(job.jobId);
      retired.push(job.jobId);
    }
    for (const job of census.inFlight) {
      await destroyWithRetry(requestDestroy, job.jobId);
      retired.push(job.jobId);
    }
    return { pool: name, retired };
  };
