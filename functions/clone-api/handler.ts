import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoDbClient, makeSqsClient } from '#shared/adapters/aws-clients';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
import { randomIds } from '#shared/adapters/random-ids';
import { SqsCloneQueue } from '#shared/adapters/sqs-clone-queue';
import { loadConfig } from '#shared/config/load-config';
import { ApiConfigSchema } from '#shared/config/service-config';
import { toJobView } from '#shared/domain/clone-job';
import { CloneRequestSchema } from '#shared/domain/clone-request';
import { jsonResponse, toErrorResponse } from '#shared/http/error-response';
import { parseJsonBody } from '#shared/http/parse-json-body';
import { makeLogger } from '#shared/observability/logger';
import { systemClock } from '#shared/ports/runtime';
import { makeGetClone } from '#shared/use-cases/get-clone';
import { makeSubmitClone } from '#shared/use-cases/submit-clone';

// Composition root: built once per cold start.
const config = loadConfig(ApiConfigSchema);
const logger = makeLogger('instaclone-api');
const jobs = new DynamoDbJobRepository(makeDynamoDbClient(config), config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const submitClone = makeSubmitClone({ jobs, queue, clock: systemClock, ids: randomIds });
const getClone = makeGetClone({ jobs });

type Route = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const routes: Record<string, Route> = {
  'POST /v1/clones': async (event) => {
    const request = parseJsonBody(CloneRequestSchema, event.body, event.isBase64Encoded);
    const job = await submitClone(request);
    logger.info('clone job accepted', { jobId: job.jobId });
    return jsonResponse(202, toJobView(job));
  },
  'GET /v1/clones/{jobId}': async (event) =>
    jsonResponse(200, toJobView(await getClone(event.pathParameters?.jobId ?? ''))),
  'GET /v1/health': async () => jsonResponse(200, { status: 'ok' }),
};

/** The HTTP API: one function, routes dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No route ${event.routeKey}` } });
    try {
      return await route(event);
    } catch (err) {
      const response = toErrorResponse(err);
      if (response.statusCode === 500)
        logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      return response;
    }
  });
