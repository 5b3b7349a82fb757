import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  makeDynamoDbClient,
  makeEventBridgeClient,
  makeSecretsManagerClient,
  makeSqsClient,
} from '#shared/aws/aws-clients';
import { EventBridgeEventPublisher } from '#shared/aws/eventbridge-event-publisher';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { makeIdempotentSubmit } from '#shared/clones/adapters/powertools-idempotent-submit';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { loadConfig } from '#shared/config/load-config';
import { makeHookRoutes } from '#shared/hooks/api/hook-routes';
import { HooksConfigSchema, makeHookSecrets } from '#shared/hooks/config';
import { logRequestFailure } from '#shared/http/dispatch-route';
import { jsonResponse, toErrorResponse } from '#shared/http/error-response';
import { makeHandleSlackCommand } from '#shared/notifications/use-cases/handle-slack-command';
import { makeLogger } from '#shared/observability/logger';
import { DynamoDbPoolClaims } from '#shared/pools/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/pools/adapters/dynamodb-pool-repository';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { makeClaimSpare } from '#shared/pools/use-cases/claim-from-pool';
import { DynamoDbDeliveryLedger } from '#shared/runners/adapters/dynamodb-delivery-ledger';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import { makeHandleGithubWebhook } from '#shared/runners/use-cases/handle-github-webhook';
import { randomIds } from '#shared/runtime/random-ids';
import { systemClock } from '#shared/runtime/runtime';

// Composition root: built once per cold start. Secrets are read lazily (first request) and cached.
const config = loadConfig(HooksConfigSchema);
const logger = makeLogger('instaclone-hooks');
const dynamo = makeDynamoDbClient(config);
const jobs = new DynamoDbJobRepository(dynamo, config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const submitClone = makeSubmitClone({ jobs, queue, clock: systemClock, ids: randomIds });
const runnerPools = parseRunnerPools(config.GITHUB_RUNNER_POOLS);
// Warm runners need the bus (`Pool Claimed` makes the scaler replenish); without it every runner is cloned cold.
const claimSpare =
  config.EVENT_BUS_NAME && runnerPools.pools.some((p) => p.warmPool)
    ? makeClaimSpare({
        pools: new DynamoDbPoolRepository(dynamo, config.JOBS_TABLE_NAME),
        jobs,
        claims: new DynamoDbPoolClaims(dynamo, config.JOBS_TABLE_NAME),
        submitClone,
        events: poolEventsVia(new EventBridgeEventPublisher(makeEventBridgeClient(config), config.EVENT_BUS_NAME)),
        clock: systemClock,
        ids: randomIds,
      })
    : undefined;
let secretsClient: ReturnType<typeof makeSecretsManagerClient> | undefined;
const routes = makeHookRoutes({
  secrets: makeHookSecrets(config, () => {
    secretsClient ??= makeSecretsManagerClient(config);
    return secretsClient;
  }),
  submit: makeIdempotentSubmit({ submit: submitClone, dynamo, tableName: config.JOBS_TABLE_NAME }),
  handleGithub: makeHandleGithubWebhook({
    pools: runnerPools,
    deliveries: new DynamoDbDeliveryLedger(dynamo, config.JOBS_TABLE_NAME, 'github'),
    jobs,
    queue,
    clock: systemClock,
    ...(claimSpare && { claimSpare }),
  }),
  handleSlack: makeHandleSlackCommand({
    submit: submitClone,
    getClone: makeGetClone({ jobs }),
    requestDestroy: makeRequestDestroy({ jobs, queue, clock: systemClock }),
  }),
  now: () => systemClock.now(),
});

/** Webhook and chat entry points (signed routes, no gateway auth). Errors become the API's error body. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler(
  async (event, context) => {
    // Exact route keys, or a `{provider}` template route (then the concrete path decides).
    const route = routes[event.routeKey] ?? routes[`${event.requestContext?.http?.method ?? 'POST'} ${event.rawPath}`];
    if (!route) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No route ${event.routeKey}` } });
    try {
      return await route(event, context);
    } catch (err) {
      logRequestFailure(logger, event.routeKey, err);
      return toErrorResponse(err);
    }
  },
);
