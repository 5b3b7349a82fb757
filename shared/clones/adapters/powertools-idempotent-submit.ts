import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { JOB_TABLE } from '../../config/resources.js';
import { IdempotencyConflictError, ValidationError } from '../../errors/app-error.js';
import type { CloneJob } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const REMEMBER_SECONDS = 24 * 60 * 60;

type IdempotentSubmit = (request: CloneRequest, key: string | undefined, context: Context) => Promise<CloneJob[]>;

/**
 * Wraps the submit use case for the `Idempotency-Key` header with Powertools idempotency: one record per key in
 * the job table (its own `pk` prefix, no status-index keys, TTL on the table's attribute), answers remembered
 * for a day. Without a key the request is simply submitted.
 * Rejects with ValidationError for a malformed key and IdempotencyConflictError when the key came with another
 * body or its first request is still in flight.
 */
export const makeIdempotentSubmit = (deps: {
  submit: (request: CloneRequest) => Promise<CloneJob[]>;
  dynamo: DynamoDBClient;
  tableName: string;
}): IdempotentSubmit => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    expiresAfterSeconds: REMEMBER_SECONDS,
  });
  const submitOnce = makeIdempotent(
    async (input: { key: string; request: CloneRequest }) => deps.submit(input.request),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: deps.tableName,
        keyAttr: JOB_TABLE.partitionKey,
        expiryAttr: JOB_TABLE.ttlAttribute,
        awsSdkV3Client: deps.dynamo,
      }),
      config,
    },
  );
  return async (request, key, context) => {
    if (key === undefined) return deps.submit(request);
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new ValidationError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    config.registerLambdaContext(context);
    try {
      return await submitOnce({ key, request });
    } catch (err) {
      if (err instanceof IdempotencyValidationError) {
        throw new IdempotencyConflictError('This Idempotency-Key was used with a different request body');
      }
      if (err instanceof IdempotencyAlreadyInProgressError) {
        throw new IdempotencyConflictError('A request with this Idempotency-Key is still being processed; retry');
      }
      throw err;
    }
  };
};
