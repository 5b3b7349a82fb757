import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoDbClient, makeSecretsManagerClient, makeSqsClient } from '#shared/adapters/aws-clients';
import { DynamoDbDeliveryLedger } from '#shared/adapters/dynamodb-delivery-ledger';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
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
let secretsClient: ReturnType<typeof makeSecretsManagerClient> | undefined;
const routes = makeHookRoutes({
  secrets: makeHookSecrets(config, () => {
    secretsClient ??= makeSecretsManagerClient(config);
    return secretsClient;
  }),
  submit: makeIdempotentSubmit({ submit: submitClone, dynamo, tableName: config.JOBS_TABLE_NAME }),
  handleGithub: makeHandleGithubWebhook({
    pools: parseRunnerPools(config.GITHUB_RUNNER_POOLS),
    deliveries: new DynamoDbDeliveryLedger(dynamo, config.JOBS_TABLE_NAME, 'github'),
    jobs,
    queue,
    clock: systemClock,
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
