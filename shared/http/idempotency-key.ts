import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { SubmissionKey } from '../clones/model/submission-key.js';
import { ValidationError } from '../errors/app-error.js';
import { headerOf } from './raw-body.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a retry with the same Idempotency-Key gets the same jobs. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

/**
 * The request's `Idempotency-Key` header as a submission key (none without the header). Throws ValidationError
 * naming the header when it is not 1-255 printable ASCII characters.
 */
export const idempotencyKeysOf = (event: Pick<APIGatewayProxyEventV2, 'headers'>): SubmissionKey[] => {
  const value = headerOf(event, 'idempotency-key');
  if (value === undefined) return [];
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ValidationError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
  }
  return [{ kind: 'idempotency-key', value, ttlSeconds: IDEMPOTENCY_KEY_TTL_SECONDS }];
};
