import type { Principal } from '../../access/model/principal.js';
import type { CloneJob } from '../../clones/model/clone-job.js';
import type { ClaimRequest, Pool, PoolSpec, ScalingState } from '../model/pool.js';
import type { PoolEvent } from '../model/pool-events.js';

/**
 * Persistence of pools (one item per pool, next to the jobs). Spec writes and scaling leases are conditional,
 * so two scaler runs never work on one pool at the same time.
 */
export interface PoolRepository {
  /** Creates the pool or replaces its spec; a replaced spec also clears a degraded state (the source may be fixed). */
  put(name: string, spec: PoolSpec, now: Date): Promise<{ pool: Pool; created: boolean }>;
  get(name: string): Promise<Pool | undefined>;
  /** Every pool, by name. */
  list(): Promise<Pool[]>;
  /** Resolves false when there was no such pool. */
  delete(name: string): Promise<boolean>;
  /**
   * Takes the scaling lease (and bumps `epoch`) unless another run holds an unexpired one: `busy` then, undefined
   * when there is no pool. Clears `dirty`.
   */
  acquireScaling(
    name: string,
    lease: { owner: string; now: Date; leaseMs: number },
  ): Promise<Pool | 'busy' | undefined>;
  /** Asks the lease holder for one more pass (a trigger arrived while it was busy). */
  markDirty(name: string): Promise<void>;
  /**
   * Writes the scaler's state and gives the lease back, only if `owner` still holds it. `dirty` tells the holder
   * that triggers arrived meanwhile; `lost` that the lease had expired and another run took it (state not written).
   */
  releaseScaling(name: string, owner: string, state: ScalingState): Promise<{ dirty: boolean; lost: boolean }>;
}

/**
 * The claim on a pool clone, written onto the job itself. `labels` are added to the clone's labels in the same
 * write (a GitHub runner claim records the workflow job it serves); they never replace pool or claim labels.
 */
export type PoolClaim = {
  pool: string;
  claimedBy: string;
  /** The principal that claims: it becomes the clone's `requestedBy` (who holds it now). Retiring keeps the owner. */
  requestedBy?: Principal;
  leaseExpiresAt: string;
  now: Date;
  labels?: Record<string, string>;
};

/** Conditional claims of ready spares: two claims never get the same clone. */
export interface PoolClaims {
  /**
   * Labels the job claimed and starts its lease, only if it is still an unclaimed, finished (SUCCEEDED and
   * announced), not-to-be-destroyed clone of `claim.pool`. Resolves with the job as stored, or undefined when
   * another claim (or a destroy) got there first.
   */
  claimSpare(jobId: string, claim: PoolClaim): Promise<CloneJob | undefined>;
}

/** `spare`: a ready clone, handed out now. `fresh`: none was ready; a clone was queued for this claim. */
export type ClaimResult = { pool: string; source: 'spare' | 'fresh'; job: CloneJob };

/** How a claim may be served. */
export type ClaimOptions = {
  /** Labels added to the claimed clone (never replacing its own). */
  labels?: Record<string, string>;
  /** Only a ready spare will do: with none, resolve undefined instead of queueing a fresh clone. */
  spareOnly?: boolean;
};

/**
 * A claim served only by a ready spare of `pool` (makeClaimSpare): undefined (nothing claimed, nothing queued) when
 * none is ready. Rejects with PoolNotFoundError, or when the table or bus fail.
 */
export type ClaimSpare = (
  pool: string,
  request: ClaimRequest,
  principal: Principal,
  options?: Omit<ClaimOptions, 'spareOnly'>,
) => Promise<ClaimResult | undefined>;

/** Publishes pool events. Rejects when the bus did not accept the event. */
export interface PoolEventPublisher {
  publish(event: PoolEvent): Promise<void>;
}
