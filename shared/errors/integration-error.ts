/**
 * Failure codes of the integrations (webhooks, chat, callbacks, GitHub API). Kept apart from the core's
 * AppErrorCode union until the lead folds them in; dispatch on `code`, never on `name`.
 */
export type IntegrationErrorCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_STALE'
  | 'BODY_TOO_LARGE'
  | 'GITHUB_NOT_FOUND'
  | 'GITHUB_REJECTED'
  | 'GITHUB_RATE_LIMITED'
  | 'GITHUB_UNAVAILABLE'
  | 'TARGET_REFUSED'
  | 'TARGET_UNREACHABLE'
  | 'SECRET_UNAVAILABLE';

/** An integration failure: `retryable` says whether the same input may succeed later. */
export class IntegrationError extends Error {
  constructor(
    readonly code: IntegrationErrorCode,
    message: string,
    readonly retryable: boolean,
    options?: ErrorOptions & { status?: number },
  ) {
    super(message, options);
    this.name = 'IntegrationError';
    this.status = options?.status;
  }
  /** HTTP status of the remote answer that caused it, when there was one. */
  readonly status: number | undefined;
}

export const isIntegrationError = (err: unknown): err is IntegrationError => err instanceof IntegrationError;
