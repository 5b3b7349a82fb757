import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoDbClient, makeSqsClient } from '#shared/aws/aws-clients';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { makeIdempotentSubmit } from '#shared/clones/adapters/powertools-idempotent-submit';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeCloneApiRoutes } from '#shared/clones/api/clone-api-routes';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeListClones } from '#shared/clones/use-cases/list-clones';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { loadConfig } from '#shared/config/load-config';
import { ApiConfigSchema } from '#shared/config/service-config';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makeLogger } from '#shared/observability/logger';
import { randomIds } from '#shared/runtime/random-ids';
import { systemClock } from '#shared/runtime/runtime';

// Composition root: built once per cold start.
const config = loadConfig(ApiConfigSchema);
const logger = makeLogger('instaclone-api');
const dynamo = makeDynamoDbClient(config);
const jobs = new DynamoDbJobRepository(dynamo, config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const routes = makeCloneApiRoutes({
  submit: makeIdempotentSubmit({
    submit: makeSubmitClone({ jobs, queue, clock: systemClock, ids: randomIds }),
    dynamo,
    tableName: config.JOBS_TABLE_NAME,
  }),
  getClone: makeGetClone({ jobs }),
  listClones: makeListClones({ jobs }),
  requestDestroy: makeRequestDestroy({ jobs, queue, clock: systemClock }),
});

/** The HTTP API: one function, routes dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .handler((event, context) => dispatchRoute(routes, event, context, logger));
