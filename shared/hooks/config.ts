import * as z from 'zod';
import { FunctionBaseSchema, MacRangesSettingSchema, VCENTER_SETTINGS } from '../config/service-config.js';

const optional = z.string().min(1).optional();

/**
 * The hooks function's settings. Each provider is served only when its secret is configured, either as a value
 * (local runs) or as a Secrets Manager secret id/ARN (AWS; the SecretString is the secret itself).
 */
export const HooksConfigSchema = FunctionBaseSchema.extend({
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
  /** Managed MAC ranges a hook's clone request may allocate from (`"mac": "range:<name>"`). */
  INSTACLONE_MAC_RANGES: MacRangesSettingSchema,
  /**
   * vCenter as the worker reaches it: required only with a runner pool that names a `warmPool` (a warm claim reads the
   * job id on the spare's VM before handing it out); the function refuses to start without it then.
   */
  ...z.object(VCENTER_SETTINGS).partial().shape,
});
export type HooksConfig = z.infer<typeof HooksConfigSchema>;
