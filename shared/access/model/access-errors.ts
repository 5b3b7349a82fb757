/**
 * Why a caller could not be identified: no credentials, or a token that failed verification (expired, wrong
 * audience or issuer, unsigned, signed with another key, lacking a required claim). Always a 401; never retryable
 * with the same token. `reason` is safe to show the caller: it names the check, never key material.
 */
export class AuthenticationError extends Error {
  readonly code = 'UNAUTHENTICATED';
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}

/** A trusted issuer's discovery document or keys could not be fetched: the token may be fine, so try again later. */
export class IssuerUnavailableError extends Error {
  readonly code = 'ISSUER_UNAVAILABLE';
  readonly retryable = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IssuerUnavailableError';
  }
}
