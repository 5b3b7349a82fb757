import type { CloneJob } from '#shared/clones/model/clone-job';
import { CLAIMED_BY_LABEL, POOL_LABEL } from '#shared/pools/model/pool';
import type { PoolEvent } from '#shared/pools/model/pool-events';
import type { PoolClaim, PoolClaims, PoolEventPublisher } from '#shared/pools/ports/pool-ports';
import type { InMemoryJobRepository } from './in-memory-job-repository.js';

/** PoolClaims on an InMemoryJobRepository's items, with the DynamoDB adapter's conditions. */
export class InMemoryPoolClaims implements PoolClaims {
  constructor(private readonly jobs: InMemoryJobRepository) {}

  async claimSpare(jobId: string, claim: PoolClaim): Promise<CloneJob | undefined> {
    await Promise.resolve();
    const job = this.jobs.items.get(jobId);
    const labels = job?.request.labels ?? {};
    const claimable =
      job?.status === 'SUCCEEDED' &&
      job.announced === 'SUCCEEDED' &&
      labels[POOL_LABEL] === claim.pool &&
      labels[CLAIMED_BY_LABEL] === undefined &&
      job.destroyRequested === undefined;
    if (!job || !claimable) return undefined;
    const claimed: CloneJob = {
      ...job,
      request: { ...job.request, labels: { ...claim.labels, ...labels, [CLAIMED_BY_LABEL]: claim.claimedBy } },
      ...(claim.requestedBy && { requestedBy: claim.requestedBy }),
      leaseExpiresAt: claim.leaseExpiresAt,
      claimedAt: claim.now.toISOString(),
      updatedAt: claim.now.toISOString(),
      version: job.version + 1,
    };
    this.jobs.items.set(jobId, claimed);
    return structuredClone(claimed);
  }
}

/** Keeps every pool event. */
export class RecordingPoolEvents implements PoolEventPublisher {
  readonly events: PoolEvent[] = [];

  async publish(event: PoolEvent): Promise<void> {
    this.events.push(event);
  }

  ofType(detailType: PoolEvent['detailType']): PoolEvent[] {
    return this.events.filter((e) => e.detailType === detailType);
  }
}
