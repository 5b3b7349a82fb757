import type { Principal } from '../../access/model/principal.js';
import type { CloneJob } from '../../clones/model/clone-job.js';
import { transition } from '../../clones/model/job-transition.js';
import type { CloneVmVerdict, RequestDestroy, SubmitClone, VerifyCloneVm } from '../../clones/ports/clone-commands.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { StaleTransitionError } from '../../errors/app-error.js';
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
  /** Asks vCenter whether a spare's VM still carries the spare's job id, before the spare is handed out. */
  verifyVm: VerifyCloneVm;
  /** Retires a spare whose VM is not its own any more. */
  requestDestroy: RequestDestroy;
  events: PoolEventPublisher;
  clock: Clock;
  ids: IdGenerator;
};

/** Code recorded on a spare retired at claim because its VM is gone or carries another job's id. */
export const VM_NOT_OURS = 'VM_NOT_OURS';

const verdictText: Record<Exclude<CloneVmVerdict, 'ours'>, string> = {
  gone: 'no longer exists',
  foreign: "carries another job's id",
  none: 'was never recorded',
};

/**
 * Whether a ready spare may be handed out: only when vCenter says its VM is its own. One that is not (vCenter lost
 * or re-used the moref) gets the reason on the job and a destroy request (its job ends DESTROYED; the worker destroys
 * only a VM that carries the job's id, so another job's VM is left alone). Another claim retiring it at the same
 * time is no error.
 */
const makeCheckSpare = ({ jobs, verifyVm, requestDestroy, clock }: ClaimFromPoolDeps) => {
  const retire = async (spare: CloneJob, verdict: Exclude<CloneVmVerdict, 'ours'>): Promise<void> => {
    const vm = spare.vm?.moref ?? '';
    const message = `At claim, the spare's VM ${vm} ${verdictText[verdict]}: retired, not handed out`;
    const error = { code: VM_NOT_OURS, message, retryable: false };
    try {
      await jobs.save(transition(spare, { patch: { error }, now: clock.now() }));
      await requestDestroy(spare.jobId);
    } catch (err) {
      if (!(err instanceof StaleTransitionError)) throw err;
    }
  };
  return async (spare: CloneJob): Promise<boolean> => {
    const verdict = await verifyVm(spare);
    if (verdict === 'ours') return true;
    await retire(spare, verdict);
    return false;
  };
};

/**
 * A claim on a pool. Takes the oldest ready spare whose VM vCenter says is its own (see makeCheckSpare) with a
 * conditional write (two claims never get the same clone; a lost race moves on to the next spare), labels it with the
 * claimer and starts its lease (`ttlMinutes` of the pool). With no spare ready it submits a fresh clone, already
 * claimed, and says so (or, with `spareOnly`, resolves undefined and changes nothing). Then announces `Pool Claimed`,
 * which makes the scaler replenish. Rejects with PoolNotFoundError, PoolDegradedError (no spare, and the pool backs
 * off after repeated failures), VcenterUnavailableError or VcenterFaultError (vCenter could not vouch for a spare:
 * nothing is handed out unverified), or when the table, queue or bus fail (a claimed clone is then still released by
 * its lease).
 */
function makeClaim(deps: ClaimFromPoolDeps) {
  const { pools, jobs, claims, submitClone, events, clock, ids } = deps;
  const isStillOurs = makeCheckSpare(deps);
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
      if (!(await isStillOurs(spare))) continue;
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
