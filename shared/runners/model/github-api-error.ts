import { AppError, type AppErrorOptions } from '../../errors/app-error.js';

export type GithubErrorCode = 'GITHUB_NOT_FOUND' | 'GITHUB_REJECTED' | 'GITHUB_RATE_LIMITED' | 'GITHUB_UNAVAILABLE';

/**
 * GitHub refused or failed a call (or a runner clone lacks what GitHub needs). Retryable for GITHUB_RATE_LIMITED and
 * GITHUB_UNAVAILABLE (the same call may work later), not for GITHUB_NOT_FOUND and GITHUB_REJECTED (the pool, the
 * App's installation or the request is wrong). `upstreamStatus` is GitHub's HTTP status, when it answered.
 */
export class GithubApiError extends AppError {
  readonly retryable: boolean;
  constructor(
    readonly code: GithubErrorCode,
    message: string,
    options?: AppErrorOptions,
  ) {
    super(message, options);
    this.retryable = code === 'GITHUB_RATE_LIMITED' || code === 'GITHUB_UNAVAILABLE';
  }
}
