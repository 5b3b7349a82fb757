import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoDbClient, makeEventBridgeClient, makeSqsClient } from '#shared/adapters/aws-clients';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
import { DynamoDbPoolClaims } from '#shared/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/adapters/dynamodb-pool-repository';
import { EventBridgeEventPublisher } from '#shared/adapters/eventbridge-event-publisher';
import { randomIds } from '#shared/adapters/random-ids';
import { SqsCloneQueue } from '#shared/adapters/sqs-clone-queue';
import { loadConfig } from '#shared/config/load-config';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makePoolApiRoutes } from '#shared/http/pool-api-routes';
import { makeLogger } from '#shared/observability/logger';
import { makeClaimFromPool } from '#shared/pools/claim-from-pool';
import { makeDeletePool } from '#shared/pools/delete-pool';
import { makeManagePools } from '#shared/pools/manage-pools';
import { PoolApiConfigSchema } from '#shared/pools/pool-config';
import { poolEventsVia } from '#shared/pools/pool-event-publisher';
import { makeReleasePoolClone } from '#shared/pools/release-pool-clone';
import { systemClock as clock } from '#shared/ports/runtime';
import { makeRequestDestroy } from '#shared/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/use-cases/submit-clone';

// Composition root: built once per cold start.
const config = loadConfig(PoolApiConfigSchema);
const logger = makeLogger('instaclone-pool-api');
const dynamo = makeDynamoDbClient(config);
const jobs = new DynamoDbJobRepository(dynamo, config.JOBS_TABLE_NAME);
const pools = new DynamoDbPoolRepository(dynamo, config.JOBS_TABLE_NAME);
const claims = new DynamoDbPoolClaims(dynamo, config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const events = poolEventsVia(new EventBridgeEventPublisher(makeEventBridgeClient(config), config.EVENT_BUS_NAME));
const submitClone = makeSubmitClone({ jobs, queue, clock, ids: randomIds });
const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
const manage = makeManagePools({ pools, jobs, events, clock });
const routes = makePoolApiRoutes({
  putPool: manage.put,
  getPool: manage.get,
  listPools: manage.list,
  deletePool: makeDeletePool({ pools, jobs, claims, requestDestroy, clock }),
  claim: makeClaimFromPool({ pools, jobs, claims, submitClone, events, clock, ids: randomIds }),
  release: makeReleasePoolClone({ jobs, requestDestroy, events, clock }),
});

/** The pool routes (`/v1/pools*`), dispatched on API Gateway's routeKey. Errors become the API's error body. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpHeaderNormalizer())
  .handler((event, context) => dispatchRoute(routes, event, context, logger));
