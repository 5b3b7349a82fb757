import { genericHookPrincipal } from '../../access/model/principal.js';
import type { SecretProvider } from '../../aws/secret-provider.js';
import { type CloneJob, toJobView } from '../../clones/model/clone-job.js';
import { CallerCloneRequestSchema } from '../../clones/model/clone-request.js';
import type { SubmitOnce } from '../../clones/ports/clone-commands.js';
import { requireContentType } from '../../http/content-type.js';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import {
  INSTACLONE_SIGNATURE_HEADER,
  INSTACLONE_TIMESTAMP_HEADER,
  verifyGithubSignature,
  verifySlackSignature,
  verifyTimestamped,
} from '../../http/hmac-signatures.js';
import { idempotencyKeysOf } from '../../http/idempotency-key.js';
import { parseJsonBody, parseJsonText } from '../../http/parse-json-body.js';
import { headerOf, rawBodyOf } from '../../http/raw-body.js';
import type { SlackReply, SlashCommand } from '../../notifications/model/slack-command.js';
import type { GithubDelivery, GithubWebhookOutcome } from '../../runners/model/github-webhook.js';
import { replayKeyOf } from './replay-key.js';

/** Route keys served by the hooks function (API Gateway v2 route keys). */
export const HOOK_ROUTE_KEYS = {
  generic: 'POST /v1/hooks/generic',
  github: 'POST /v1/hooks/github',
  slack: 'POST /v1/chat/slack',
} as const;

/** Each provider's secret; a provider whose secret is not configured answers 404 `HOOK_OFF`. */
export type HookSecrets = { generic?: SecretProvider; github?: SecretProvider; slack?: SecretProvider };

export type HookRoutesDeps = {
  secrets: HookSecrets;
  submit: SubmitOnce;
  handleGithub: (delivery: GithubDelivery) => Promise<GithubWebhookOutcome>;
  handleSlack: (command: SlashCommand) => Promise<SlackReply>;
  now: () => Date;
};

/** The variable that turns each hook on (its secret), named in the answer of a hook that is off. */
export const HOOK_SECRET_VARIABLES = {
  generic: 'GENERIC_HOOK_SECRET',
  github: 'GITHUB_WEBHOOK_SECRET',
  slack: 'SLACK_SIGNING_SECRET',
} as const;

/** A hook whose secret is not configured: 404 `HOOK_OFF`, saying which secret turns it on (never its value). */
const notServed = (hook: keyof typeof HOOK_SECRET_VARIABLES) => {
  const variable = HOOK_SECRET_VARIABLES[hook];
  return jsonResponse(404, {
    error: {
      code: 'HOOK_OFF',
      message: `The ${hook} hook is off: set ${variable} (${variable}_ARN on AWS) to turn it on`,
    },
  });
};

const accepted = (jobs: CloneJob[], count: number) => {
  const [first] = jobs;
  return jsonResponse(202, count === 1 && first ? toJobView(first) : { jobs: jobs.map(toJobView) });
};

/**
 * The signed entry points. Each one reads the raw body (base64-decoded when API Gateway encoded it), verifies
 * its provider's signature over exactly those bytes, and only then parses:
 * - generic: `X-Instaclone-Signature: sha256=<hmac("<ts>.<body>")>` + `X-Instaclone-Timestamp` (5 minutes); the
 *   body is a clone request, made as `hook:generic` → 202 with the job(s), or 403/429 as the policy says. A replay of
 *   a signature answers with the first one's jobs; an `Idempotency-Key` header works as on the API across re-signed
 *   retries, but never overrides the signature;
 * - github: `X-Hub-Signature-256`, `X-GitHub-Event`, `X-GitHub-Delivery` → 200 with the outcome (GitHub only
 *   records the status; 2xx for every verified delivery, ignored or not, so it does not flag the hook);
 * - slack: `X-Slack-Signature` + `X-Slack-Request-Timestamp` (5 minutes), form body → 200 ephemeral reply (a
 *   replayed `/clone` answers with the first one's job);
 * 401 for a missing/wrong/stale signature, 413 over the size limit, 415 for another Content-Type (checked after the
 * signature), 400 for a body that is not what it should be.
 */
export const makeHookRoutes = (deps: HookRoutesDeps): Record<string, Route> => ({
  [HOOK_ROUTE_KEYS.generic]: async (event) => {
    if (!deps.secrets.generic) return notServed('generic');
    const raw = rawBodyOf(event);
    const signature = headerOf(event, INSTACLONE_SIGNATURE_HEADER);
    const timestamp = headerOf(event, INSTACLONE_TIMESTAMP_HEADER);
    verifyTimestamped(await deps.secrets.generic(), raw, { signature, timestamp }, deps.now());
    const request = parseJsonBody(CallerCloneRequestSchema, { body: raw, headers: event.headers });
    // The signature's key comes last, so it decides: an unsigned Idempotency-Key cannot turn a replay into a new job.
    const keys = [...idempotencyKeysOf(event), replayKeyOf('generic', signature ?? '')];
    return accepted(await deps.submit(request, genericHookPrincipal(), keys), request.count);
  },
  [HOOK_ROUTE_KEYS.github]: async (event) => {
    if (!deps.secrets.github) return notServed('github');
    const raw = rawBodyOf(event);
    await verifyGithubSignature(await deps.secrets.github(), raw, headerOf(event, 'x-hub-signature-256'));
    const deliveryId = headerOf(event, 'x-github-delivery');
    const githubEvent = headerOf(event, 'x-github-event');
    if (!deliveryId || !githubEvent) {
      return jsonResponse(400, {
        error: { code: 'VALIDATION_FAILED', message: 'X-GitHub-Event and X-GitHub-Delivery are required' },
      });
    }
    // GitHub can also send `payload=<json>` forms; the webhook must be set to application/json (415 otherwise).
    requireContentType(event, 'json');
    const payload = parseJsonText(raw);
    return jsonResponse(200, await deps.handleGithub({ event: githubEvent, deliveryId, payload }));
  },
  [HOOK_ROUTE_KEYS.slack]: async (event) => {
    if (!deps.secrets.slack) return notServed('slack');
    const raw = rawBodyOf(event);
    const signature = headerOf(event, 'x-slack-signature');
    const timestamp = headerOf(event, 'x-slack-request-timestamp');
    verifySlackSignature(await deps.secrets.slack(), raw, { signature, timestamp }, deps.now());
    requireContentType(event, 'form');
    const form = new URLSearchParams(raw);
    const command: SlashCommand = {
      teamId: form.get('team_id') ?? '',
      userId: form.get('user_id') ?? '',
      channelId: form.get('channel_id') ?? '',
      text: form.get('text') ?? '',
      responseUrl: form.get('response_url') ?? '',
      replayKey: replayKeyOf('slack', signature ?? ''),
    };
    if (!command.teamId || !command.responseUrl) {
      return jsonResponse(400, { error: { code: 'VALIDATION_FAILED', message: 'not a Slack slash command' } });
    }
    return jsonResponse(200, await deps.handleSlack(command));
  },
});
