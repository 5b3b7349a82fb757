import { AppError } from '../../errors/app-error.js';

/** Errors of the pool feature: AppErrors, so the API's one exhaustive mapping answers them. */
export type PoolErrorCode = 'POOL_NOT_FOUND' | 'NOT_IN_POOL' | 'NOT_CLAIMED' | 'POOL_DEGRADED';

export abstract class PoolError extends AppError {
  abstract override readonly code: PoolErrorCode;
}

export class PoolNotFoundError extends PoolError {
  readonly code = 'POOL_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly pool: string) {
    super(`No pool named ${pool}`);
  }
}

/** The job exists but is not a clone of this pool. */
export class NotInPoolError extends PoolError {
  readonly code = 'NOT_IN_POOL';
  readonly retryable = false;
  constructor(
    readonly pool: string,
    readonly jobId: string,
  ) {
    super(`Job ${jobId} is not a clone of pool ${pool}`);
  }
}

/** Only a claimed clone can be released; a spare belongs to the scaler. */
export class NotClaimedError extends PoolError {
  readonly code = 'NOT_CLAIMED';
  readonly retryable = false;
  constructor(
    readonly pool: string,
    readonly jobId: string,
  ) {
    super(`Clone ${jobId} of pool ${pool} is a spare, not a claimed clone`);
  }
}

/** No spare is ready and the pool's clones keep failing: a fresh clone would fail too. Retry after `backoffUntil`. */
export class PoolDegradedError extends PoolError {
  readonly code = 'POOL_DEGRADED';
  readonly retryable = true;
  constructor(
    readonly pool: string,
    readonly backoffUntil: string,
    readonly reason: string | undefined,
  ) {
    super(`Pool ${pool} is degraded until ${backoffUntil}${reason ? ` (${reason})` : ''}; no spare is ready`);
  }
}
