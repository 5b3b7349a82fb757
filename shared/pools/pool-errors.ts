/**
 * Errors of the pool feature. They follow AppError's contract (`code` drives dispatch, `retryable` says whether
 * the same input may succeed later) but live here because `AppErrorCode` is closed; `poolStatusFor` is their
 * exhaustive HTTP mapping. Once the codes join `AppErrorCode` these can extend AppError unchanged.
 */
export type PoolErrorCode = 'POOL_NOT_FOUND' | 'NOT_IN_POOL' | 'NOT_CLAIMED' | 'POOL_DEGRADED';

export abstract class PoolError extends Error {
  abstract readonly code: PoolErrorCode;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
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

export const isPoolError = (err: unknown): err is PoolError => err instanceof PoolError;

export const poolStatusFor = (err: PoolError): number => {
  switch (err.code) {
    case 'POOL_NOT_FOUND':
    case 'NOT_IN_POOL':
      return 404;
    case 'NOT_CLAIMED':
      return 409;
    case 'POOL_DEGRADED':
      return 503;
    default:
      return err.code satisfies never;
  }
};
