import { createHmac } from 'node:crypto';
import { signTimestamped } from '#shared/http/hmac-signatures';

/** Secrets the integration tests start the stack with, one per signed route. */
export const HOOK_SECRETS = {
  generic: 'generic-secret-0123456789',
  github: 'github-secret-0123456789',
  slack: 'slack-secret-0123456789',
} as const;

/** Headers of a generic hook request signed over `body` at `at` (the trigger's `<ts>.<body>` scheme). */
export const genericHookHeaders = (body: string, at = new Date(), secret: string = HOOK_SECRETS.generic) => ({
  'content-type': 'application/json',
  ...signTimestamped(secret, body, at),
});

/** Headers of a GitHub webhook delivery signed over `body` (`X-Hub-Signature-256`). */
export const githubHookHeaders = (
  event: string,
  delivery: string,
  body: string,
  secret: string = HOOK_SECRETS.github,
) => ({
  'content-type': 'application/json',
  'x-github-event': event,
  'x-github-delivery': delivery,
  'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
});

/** Headers of a Slack slash command signed over its form `body` (`v0:<ts>:<body>`). */
export const slackHookHeaders = (body: string, at = new Date(), secret: string = HOOK_SECRETS.slack) => {
  const ts = String(Math.floor(at.getTime() / 1000));
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': ts,
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
};
