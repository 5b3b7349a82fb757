import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { notifierFamily } from '#shared/composition/notifier-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { SlackNotifierConfigSchema } from '#shared/notifications/config';
import { makeNotifySlack, type NotifySlackResult } from '#shared/notifications/use-cases/notify-slack';

export type SlackNotifierDeps = Pick<ReturnType<typeof buildDeps>, 'slackPoster' | 'logger'>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = SlackNotifierConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, notifierFamily);

/** Target of the Slack rule: posts a chat-made clone's outcome to its `response_url`. */
export const makeHandler = ({ slackPoster, logger }: SlackNotifierDeps) => {
  const notify = makeNotifySlack({ post: slackPoster });
  const log = logger(serviceNameOf('slack-notifier'));
  return middy<EventBridgeEvent<string, unknown>, NotifySlackResult>().handler(
    async (event, context: Context & { signal?: AbortSignal }) => {
      const result = await notify(event, context.signal);
      if (result.posted && (result.status < 200 || result.status >= 300)) {
        log.warn('slack refused the message', { jobId: result.jobId, status: result.status });
      }
      return result;
    },
  );
};
