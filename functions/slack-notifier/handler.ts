import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { loadConfig } from '#shared/config/load-config';
import { makeGuardedPoster } from '#shared/notifications/adapters/guarded-http-poster';
import { SlackNotifierConfigSchema } from '#shared/notifications/config';
import { makeNotifySlack, type NotifySlackResult } from '#shared/notifications/use-cases/notify-slack';
import { makeLogger } from '#shared/observability/logger';

// Composition root: built once per cold start.
const config = loadConfig(SlackNotifierConfigSchema);
const logger = makeLogger('instaclone-slack-notifier');
const notify = makeNotifySlack({
  post: makeGuardedPoster({
    allowedOrigins: config.SLACK_RESPONSE_ORIGINS,
    allowInsecureHttp: config.SLACK_ALLOW_INSECURE_HTTP,
    allowPrivateAddresses: config.SLACK_ALLOW_PRIVATE_ADDRESSES,
  }),
});

/** Target of the Slack rule: posts a chat-made clone's outcome to its `response_url`. */
export const handler = middy<EventBridgeEvent<string, unknown>, NotifySlackResult>().handler(
  async (event, context: Context & { signal?: AbortSignal }) => {
    const result = await notify(event, context.signal);
    if (result.posted && (result.status < 200 || result.status >= 300)) {
      logger.warn('slack refused the message', { jobId: result.jobId, status: result.status });
    }
    return result;
  },
);
