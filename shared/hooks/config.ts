import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { makeSecretProvider, type SecretProvider } from '../aws/secret-provider.js';
import { AwsEndpointsSchema } from '../config/service-config.js';
import type { HookSecrets } from './api/hook-routes.js';

const optional = z.string().min(1).optional();

/**
 * The hooks function's settings. Each provider is served only when its secret is configured, either as a value
 * (local runs) or as a Secrets Manager secret id/ARN (AWS; the SecretString is the secret itself).
 */
export const HooksConfigSchema = AwsEndpointsSchema.extend({
  JOBS_TABLE_NAME: z.string({ error: 'is required (the job table name)' }).min(1),
  CLONE_QUEUE_URL: z.string({ error: 'is required (the clone queue URL)' }).min(1),
  /** `POST /v1/hooks/generic`: HMAC key of `X-Instaclone-Signature`. */
  GENERIC_HOOK_SECRET: optional,
  GENERIC_HOOK_SECRET_ARN: optional,
  /** `POST /v1/hooks/github`: the GitHub App's (or repository webhook's) webhook secret. */
  GITHUB_WEBHOOK_SECRET: optional,
  GITHUB_WEBHOOK_SECRET_ARN: optional,
  /** `POST /v1/chat/slack`: the Slack app's signing secret. */
  SLACK_SIGNING_SECRET: optional,
  SLACK_SIGNING_SECRET_ARN: optional,
  /** Runner pools as JSON (see RunnerPoolsSchema); absent: every workflow job is ignored. */
  GITHUB_RUNNER_POOLS: optional,
  /** The service's bus, for `Pool Claimed` when a runner pool's `warmPool` serves a job; without it, no warm claims. */
  EVENT_BUS_NAME: optional,
});
export type HooksConfig = z.infer<typeof HooksConfigSchema>;

/** One provider per configured secret; unconfigured providers are left out (their route answers 404). */
export const makeHookSecrets = (config: HooksConfig, secrets: () => SecretsManagerClient): HookSecrets => {
  const provider = (name: string, value?: string, secretId?: string): SecretProvider | undefined =>
    value || secretId ? makeSecretProvider({ name, value, secretId }, { secrets }) : undefined;
  const generic = provider('GENERIC_HOOK_SECRET', config.GENERIC_HOOK_SECRET, config.GENERIC_HOOK_SECRET_ARN);
  const github = provider('GITHUB_WEBHOOK_SECRET', config.GITHUB_WEBHOOK_SECRET, config.GITHUB_WEBHOOK_SECRET_ARN);
  const slack = provider('SLACK_SIGNING_SECRET', config.SLACK_SIGNING_SECRET, config.SLACK_SIGNING_SECRET_ARN);
  return { ...(generic && { generic }), ...(github && { github }), ...(slack && { slack }) };
};
