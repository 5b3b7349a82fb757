import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { makeDynamoDbClient, makeSqsClient } from '#shared/adapters/aws-clients';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
import { randomIds } from '#shared/adapters/random-ids';
import { SqsCloneQueue } from '#shared/adapters/sqs-clone-queue';
import { loadConfig } from '#shared/config/load-config';
import { ApiConfigSchema } from '#shared/config/service-config';
import { type CloneJob, toJobView } from '#shared/domain/clone-job';
import { type CloneRequest, CloneRequestSchema } from '#shared/domain/clone-request';
import { IdempotencyConflictError, ValidationError } from '#shared/domain/errors';
import { jsonResponse, toErrorResponse } from '#shared/http/error-response';
import { openApiDocument } from '#shared/http/openapi';
import { parseJsonBody } from '#shared/http/parse-json-body';
import { makeLogger } from '#shared/observability/logger';
import { systemClock } from '#shared/ports/runtime';
import { makeGetClone } from '#shared/use-cases/get-clone';
import { makeSubmitClone } from '#shared/use-cases/submit-clone';

// Composition root: built once per cold start.
const config = loadConfig(ApiConfigSchema);
const logger = makeLogger('instaclone-api');
const dynamo = makeDynamoDbClient(config);
const jobs = new DynamoDbJobRepository(dynamo, config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const submitClone = makeSubmitClone({ jobs, queue, clock: systemClock, ids: randomIds });
const getClone = makeGetClone({ jobs });

// Idempotency-Key: Powertools keeps one record per key in the job table (its own `pk` prefix, no GSI keys),
// remembers the answer for a day and refuses the same key with another body.
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'key',
  payloadValidationJmesPath: 'request',
  expiresAfterSeconds: 24 * 60 * 60,
});
const submitOnce = makeIdempotent(async (input: { key: string; request: CloneRequest }) => submitClone(input.request), {
  persistenceStore: new DynamoDBPersistenceLayer({
    tableName: config.JOBS_TABLE_NAME,
    keyAttr: 'pk',
    expiryAttr: 'expiresAt',
    awsSdkV3Client: dynamo,
  }),
  config: idempotency,
});

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const submit = async (request: CloneRequest, key: string | undefined): Promise<CloneJob> => {
  if (key === undefined) return submitClone(request);
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
  }
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

type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const routes: Record<string, Route> = {
  'POST /v1/clones': async (event, context) => {
    const request = parseJsonBody(CloneRequestSchema, event.body, event.isBase64Encoded);
    idempotency.registerLambdaContext(context);
    const job = await submit(request, event.headers['idempotency-key']);
    logger.info('clone job accepted', { jobId: job.jobId });
    return jsonResponse(202, toJobView(job));
  },
  'GET /v1/clones/{jobId}': async (event) =>
    jsonResponse(200, toJobView(await getClone(event.pathParameters?.jobId ?? ''))),
  'GET /v1/health': async () => jsonResponse(200, { status: 'ok' }),
  'GET /v1/openapi.json': async () => jsonResponse(200, openApiDocument()),
};

/** The HTTP API: one function, routes dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .handler(async (event, context) => {
    const route = routes[event.routeKey];
    if (!route) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No route ${event.routeKey}` } });
    try {
      return await route(event, context);
    } catch (err) {
      const response = toErrorResponse(err);
      if (response.statusCode === 500)
        logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      return response;
    }
  });
