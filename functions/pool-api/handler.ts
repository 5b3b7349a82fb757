import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoDbClient, makeEventBridgeClient, makeSqsClient } from '#shared/aws/aws-clients';
import { EventBridgeEventPublisher } from '#shared/aws/eventbridge-event-publisher';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { loadConfig } from '#shared/config/load-config';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makeLogger } from '#shared/observability/logger';
import { DynamoDbPoolClaims } from '#shared/pools/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/pools/adapters/dynamodb-pool-repository';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { makePoolApiRoutes } from '#shared/pools/api/pool-api-routes';
import { PoolApiConfigSchema } from '#shared/pools/config';
import { makeClaimFromPool } from '#shared/pools/use-cases/claim-from-pool';
import { makeDeletePool } from '#shared/pools/use-cases/delete-pool';
import { makeManagePools } from '#shared/pools/use-cases/manage-pools';
import { makeReleasePoolClone } from '#shared/pools/use-cases/release-pool-clone';
import { randomIds } from '#shared/runtime/random-ids';
import { systemClock as clock } from '#shared/runtime/runtime';

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
