import type { Principal } from '../../access/model/principal.js';
import type { SubmitClone } from '../../clones/ports/clone-commands.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import type { Clock, IdGenerator } from '../../runtime/runtime.js';
import { type ClaimRequest, poolCloneRequest, sourcesOf } from '../model/pool.js';
import { PoolDegradedError, PoolNotFoundError } from '../model/pool-errors.js';
import { POOL_DETAIL_TYPES } from '../model/pool-events.js';
import type {
  ClaimOptions,
  ClaimResult,
  ClaimSpare,
  PoolClaims,
  PoolEventPublisher,
  PoolRepository,
} from '../ports/pool-ports.js';
import { readySpares } from './pool-census.js';

export type ClaimFromPoolDeps = {
  pools: PoolRepository;
  jobs: JobRepository;
  claims: PoolClaims;
  /** Submits a fresh clone for the claimer (an internal grant: the claim itself was authorized). */
  submitClone: SubmitClone;
  events: PoolEventPublisher;
  clock: Clock;
  ids: IdGenerator;
};

/**
 * A claim on a pool. Takes the oldest ready spare with a conditional write (two claims never get the
 * same clone; a lost race moves on to the next spare), labels it with the claimer and starts its lease
 * (`ttlMinutes` of the pool). With no spare ready it submits a fresh clone, already claimed, and says so (or,
 * with `spareOnly`, resolves undefined and changes nothing). Then announces `Pool Claimed`, which makes the
 * scaler replenish. Rejects with PoolNotFoundError, PoolDegradedError (no spare, and the pool backs off after
 * repeated failures), or when the table, queue or bus fail (a claimed clone is then still released by its lease).
 */
function makeClaim({ pools, jobs, claims, submitClone, events, clock, ids }: ClaimFromPoolDeps) {
  return async (
    name: string,
    request: ClaimRequest,
    principal: Principal,
    options: ClaimOptions = {},
  ): Promise<ClaimResult | undefined> => {
    const pool = await pools.get(name);
    if (!pool) throw new PoolNotFoundError(name);
    const now = clock.now();
    const leaseExpiresAt = new Date(now.getTime() + pool.spec.ttlMinutes * 60_000).toISOString();
    const claim = {
      pool: name,
      claimedBy: request.claimedBy,
      requestedBy: principal,
      leaseExpiresAt,
      now,
      ...(options.labels && { labels: options.labels }),
    };
    let result: ClaimResult | undefined;
    for (const spare of await readySpares(jobs, name)) {
      const job = await claims.claimSpare(spare.jobId, claim);
      if (job) {
        result = { pool: name, source: 'spare', job };
        break;
      }
    }
    if (!result && options.spareOnly) return undefined;
    if (!result && pool.backoffUntil && Date.parse(pool.backoffUntil) > now.getTime())
      throw new PoolDegradedError(name, pool.backoffUntil, pool.degradedReason);
    if (!result) {
      const sourceIndex = now.getTime() % Math.max(1, sourcesOf(pool.spec).length);
      const cloneRequest = poolCloneRequest(pool, { sourceIndex, uniqueId: ids.jobId(), claimedBy: request.claimedBy });
      const [job] = await submitClone(cloneRequest, principal);
      if (!job) throw new Error(`Submitting a clone for pool ${name} returned no job`);
      result = { pool: name, source: 'fresh', job };
    }
    const { job } = result;
    await events.publish({
      detailType: POOL_DETAIL_TYPES.claimed,
      detail: {
        version: '1',
        pool: name,
        jobId: job.jobId,
        claimedBy: request.claimedBy,
        source: result.source,
        vmName: job.vmName,
        ...(job.vm && { vm: { moref: job.vm.moref, name: job.vm.name } }),
        ...(job.leaseExpiresAt && { leaseExpiresAt: job.leaseExpiresAt }),
        at: now.toISOString(),
      },
    });
    return result;
  };
}

/** The claim of `POST /v1/pools/{name}/claim`: a spare, or else a fresh clone (see makeClaim's rules above). */
export const makeClaimFromPool = (deps: ClaimFromPoolDeps) => {
  const claim = makeClaim(deps);
  return async (
    name: string,
    request: ClaimRequest,
    principal: Principal,
    options: Omit<ClaimOptions, 'spareOnly'> = {},
  ) => (await claim(name, request, principal, options)) as ClaimResult;
};

/** A claim served only by a ready spare: undefined (nothing claimed, nothing queued) when none is ready. */
export const makeClaimSpare = (deps: ClaimFromPoolDeps): ClaimSpare => {
  const claim = makeClaim(deps);
  return (name, request, principal, options = {}) => claim(name, request, principal, { ...options, spareOnly: true });
};
