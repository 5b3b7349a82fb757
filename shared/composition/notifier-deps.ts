import { makeGuardedPoster } from '../notifications/adapters/guarded-http-poster.js';
import type { HttpPoster } from '../notifications/ports/http-poster.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../notifications/use-cases/deliver-callback.js';
import { family } from './family.js';
import { required } from './lazily.js';

/** Outbound posts of the notifiers, each behind its address guard (https and public addresses unless allowed). */
export type NotifierDeps = {
  readonly callbackPoster: HttpPoster;
  readonly callbackRetryPolicy: RetryPolicy;
  /** Only to the allowed origins (Slack's unless configured): response URLs come from labels anyone can set. */
  readonly slackPoster: HttpPoster;
};

export const notifierFamily = family<NotifierDeps>((config) => ({
  callbackPoster: () =>
    makeGuardedPoster({
      allowInsecureHttp: config.CALLBACK_ALLOW_INSECURE_HTTP ?? false,
      allowPrivateAddresses: config.CALLBACK_ALLOW_PRIVATE_ADDRESSES ?? false,
      ...(config.CALLBACK_TIMEOUT_MS !== undefined && { timeoutMs: config.CALLBACK_TIMEOUT_MS }),
    }),
  callbackRetryPolicy: () => ({
    ...DEFAULT_RETRY_POLICY,
    ...(config.CALLBACK_MAX_ATTEMPTS !== undefined && { attempts: config.CALLBACK_MAX_ATTEMPTS }),
  }),
  slackPoster: () =>
    makeGuardedPoster({
      allowedOrigins: required(config.SLACK_RESPONSE_ORIGINS, 'SLACK_RESPONSE_ORIGINS'),
      allowInsecureHttp: config.SLACK_ALLOW_INSECURE_HTTP ?? false,
      allowPrivateAddresses: config.SLACK_ALLOW_PRIVATE_ADDRESSES ?? false,
    }),
}));
