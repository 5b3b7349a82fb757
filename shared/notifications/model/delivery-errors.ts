import { AppError, type AppErrorOptions } from '../../errors/app-error.js';

/**
 * A callback or Slack target we will not post to (not a URL, not https, credentials in it, an origin not allowed,
 * a private address). Never retried: the same URL is refused again.
 */
export class TargetRefusedError extends AppError {
  readonly code = 'TARGET_REFUSED';
  readonly retryable = false;
}

/** No answer from a callback or Slack target (refused, reset, DNS failure, timeout): worth another attempt. */
export class TargetUnreachableError extends AppError {
  readonly code = 'TARGET_UNREACHABLE';
  readonly retryable = true;
  constructor(message: string, options?: AppErrorOptions) {
    super(message, options);
  }
}
