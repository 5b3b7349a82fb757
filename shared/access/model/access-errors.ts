import { AppError, type AppErrorOptions, type FieldIssue } from '../../errors/app-error.js';

/**
 * Why a caller could not be identified: no credentials, or a token that failed verification (expired, wrong
 * audience or issuer, unsigned, signed with another key, lacking a required claim). A 401; never retryable with the
 * same token. `reason` is safe to show the caller: it names the check, never key material.
 */
export class AuthenticationError extends AppError {
  readonly code = 'UNAUTHORIZED';
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A trusted issuer's discovery document or keys could not be fetched: the token may be fine, so try again later. */
export class IssuerUnavailableError extends AppError {
  readonly code = 'ISSUER_UNAVAILABLE';
  readonly retryable = true;
  constructor(message: string, options?: AppErrorOptions) {
    super(message, options);
  }
}

/**
 * The policy (or an integration namespace) does not let this principal do this: a 403 whose body names the rule
 * that refused (`rule`; null when no rule grants the action at all: the missing grant) and the field.
 */
export class AccessDeniedError extends AppError {
  readonly code = 'ACCESS_DENIED';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(
    readonly rule: string | null,
    field: string,
    message: string,
  ) {
    super(rule === null ? `Access denied: ${message}` : `Access denied by rule ${rule}: ${message}`);
    this.issues = [{ field, message }];
  }
}

/**
 * A live-clone or concurrent-job limit of the granting rule is reached: a 429 (it may pass once clones are destroyed
 * or jobs finish) naming the rule and the limit (`liveClones` or `concurrentJobs`) as the field.
 */
export class QuotaExceededError extends AppError {
  readonly code = 'QUOTA_EXCEEDED';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(
    readonly rule: string,
    field: 'liveClones' | 'concurrentJobs',
    limit: number,
    inUse: number,
  ) {
    const message = `${field} limit of rule ${rule} is ${limit}; ${inUse} in use`;
    super(`Quota exceeded: ${message}`);
    this.issues = [{ field, message }];
  }
}
