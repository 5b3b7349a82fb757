import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { notifierFamily } from '#shared/composition/notifier-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { standardWebhooksSigner } from '#shared/notifications/adapters/standard-webhooks-signer';
import { CallbackNotifierConfigSchema } from '#shared/notifications/config';
import { makeDeliverCallback } from '#shared/notifications/use-cases/deliver-callback';
import { makeNotifyCallback, type NotifyCallbackResult } from '#shared/notifications/use-cases/notify-callback';

export type CallbackNotifierDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'clock' | 'callbackPoster' | 'callbackSigningSecret' | 'callbackRetryPolicy' | 'logger'
>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = CallbackNotifierConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, secretFamily, notifierFamily);

/**
 * Target of the `callbackWanted` rule: one signed POST (with bounded retries) per completion event. The outcome
 * is recorded on the job (`callbacks`), logged and returned; a receiver's failure never fails the invocation
 * (its async retries would re-run every attempt), a failure to record it does.
 */
export const makeHandler = (deps: CallbackNotifierDeps) => {
  const notify = makeNotifyCallback({
    deliver: makeDeliverCallback({
      post: deps.callbackPoster,
      sign: standardWebhooksSigner(deps.callbackSigningSecret),
      clock: deps.clock,
      policy: deps.callbackRetryPolicy,
    }),
    jobs: deps.jobs,
  });
  const logger = deps.logger(serviceNameOf('callback-notifier'));
  return middy<EventBridgeEvent<string, unknown>, NotifyCallbackResult>().handler(
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
};
