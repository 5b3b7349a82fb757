import { AppError } from './app-error.js';

export type SignatureErrorCode = 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SIGNATURE_STALE';

/**
 * A signed request (a webhook, a Slack command, the generic trigger) came without its signature, with one that
 * does not match, or outside the replay window. Never retryable: the same request fails the same way. The message
 * names the header, never the expected value.
 */
export class SignatureError extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A signed request's body is larger than we are willing to verify. */
export class BodyTooLargeError extends AppError {
  readonly code = 'BODY_TOO_LARGE';
  readonly retryable = false;
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
  }
}
