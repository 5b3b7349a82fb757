import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { makeDynamoDbClient, makeSecretsManagerClient } from '#shared/aws/aws-clients';
import { makeSecretProvider } from '#shared/aws/secret-provider';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { loadConfig } from '#shared/config/load-config';
import { makeGuardedPoster } from '#shared/notifications/adapters/guarded-http-poster';
import { CallbackNotifierConfigSchema } from '#shared/notifications/config';
import { DEFAULT_RETRY_POLICY, makeDeliverCallback } from '#shared/notifications/use-cases/deliver-callback';
import { makeNotifyCallback, type NotifyCallbackResult } from '#shared/notifications/use-cases/notify-callback';
import { makeLogger } from '#shared/observability/logger';
import { systemClock } from '#shared/runtime/runtime';

// Composition root: built once per cold start.
const config = loadConfig(CallbackNotifierConfigSchema);
const logger = makeLogger('instaclone-callback-notifier');
let secretsClient: ReturnType<typeof makeSecretsManagerClient> | undefined;
const notify = makeNotifyCallback({
  deliver: makeDeliverCallback({
    post: makeGuardedPoster({
      allowInsecureHttp: config.CALLBACK_ALLOW_INSECURE_HTTP,
      allowPrivateAddresses: config.CALLBACK_ALLOW_PRIVATE_ADDRESSES,
      timeoutMs: config.CALLBACK_TIMEOUT_MS,
    }),
    signingSecret: makeSecretProvider(
      {
        name: 'CALLBACK_SIGNING_SECRET',
        value: config.CALLBACK_SIGNING_SECRET,
        secretId: config.CALLBACK_SIGNING_SECRET_ARN,
      },
      { secrets: () => (secretsClient ??= makeSecretsManagerClient(config)) },
    ),
    clock: systemClock,
    policy: { ...DEFAULT_RETRY_POLICY, attempts: config.CALLBACK_MAX_ATTEMPTS },
  }),
  jobs: new DynamoDbJobRepository(makeDynamoDbClient(config), config.JOBS_TABLE_NAME),
});

/**
 * Target of the `callbackWanted` rule: one signed POST (with bounded retries) per completion event. The outcome
 * is recorded on the job (`callbacks`), logged and returned; a receiver's failure never fails the invocation
 * (its async retries would re-run every attempt), a failure to record it does.
 */
export const handler = middy<EventBridgeEvent<string, unknown>, NotifyCallbackResult>().handler(
  async (event, context: Context & { signal?: AbortSignal }) => {
    const result = await notify(event, context.signal);
    if (result.notified) {
      const { outcome } = result;
      const log = outcome.state === 'delivered' ? logger.info.bind(logger) : logger.warn.bind(logger);
      log('callback outcome', {
        jobId: result.jobId,
        event: result.event,
        state: outcome.state,
        attempts: outcome.attempts,
        status: outcome.status,
        reason: outcome.reason,
      });
    }
    return result;
  },
);
