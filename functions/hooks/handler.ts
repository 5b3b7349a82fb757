import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  makeDynamoDbClient,
  makeEventBridgeClient,
  makeSecretsManagerClient,
  makeSqsClient,
} from '#shared/adapters/aws-clients';
import { DynamoDbDeliveryLedger } from '#shared/adapters/dynamodb-delivery-ledger';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
import { DynamoDbPoolClaims } from '#shared/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/adapters/dynamodb-pool-repository';
import { EventBridgeEventPublisher } from '#shared/adapters/eventbridge-event-publisher';
import { makeIdempotentSubmit } from '#shared/adapters/powertools-idempotent-submit';
import { randomIds } from '#shared/adapters/random-ids';
import { SqsCloneQueue } from '#shared/adapters/sqs-clone-queue';
import { loadConfig } from '#shared/config/load-config';
import { jsonResponse } from '#shared/http/error-response';
import { makeHandleGithubWebhook } from '#shared/integrations/handle-github-webhook';
import { makeHandleSlackCommand } from '#shared/integrations/handle-slack-command';
import { makeHookRoutes, toHookErrorResponse } from '#shared/integrations/hook-routes';
import { HooksConfigSchema, makeHookSecrets } from '#shared/integrations/hooks-config';
import { parseRunnerPools } from '#shared/integrations/runner-pools';
import { makeLogger } from '#shared/observability/logger';
import { makeClaimSpare } from '#shared/pools/claim-from-pool';
import { poolEventsVia } from '#shared/pools/pool-event-publisher';
import { systemClock } from '#shared/ports/runtime';
import { makeGetClone } from '#shared/use-cases/get-clone';
import { makeRequestDestroy } from '#shared/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/use-cases/submit-clone';

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
      const response = toHookErrorResponse(err);
      const status = response.statusCode ?? 500;
      if (status >= 500) logger.error('hook failed', { routeKey: event.routeKey, error: err as Error });
      else logger.warn('hook refused', { routeKey: event.routeKey, status, code: (err as { code?: string }).code });
      return response;
    }
  },
);
