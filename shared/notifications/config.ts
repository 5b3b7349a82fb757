import * as z from 'zod';
import { booleanFlag, FunctionBaseSchema } from '../config/service-config.js';

/**
 * Callback notifier settings. The signing secret is a value (local) or a Secrets Manager secret (AWS); the job
 * table is where each outcome is recorded. The two ALLOW flags are for local development (a receiver on 127.0.0.1
 * over http); never set them on AWS.
 */
export const CallbackNotifierConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: z.string({ error: 'is required (the job table name)' }).min(1),
  CALLBACK_SIGNING_SECRET: z.string().min(16).optional(),
  CALLBACK_SIGNING_SECRET_ARN: z.string().min(1).optional(),
  CALLBACK_ALLOW_INSECURE_HTTP: booleanFlag,
  CALLBACK_ALLOW_PRIVATE_ADDRESSES: booleanFlag,
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
  CALLBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(8).default(4),
}).refine((c) => c.CALLBACK_SIGNING_SECRET !== undefined || c.CALLBACK_SIGNING_SECRET_ARN !== undefined, {
  path: ['CALLBACK_SIGNING_SECRET'],
  message: 'is required (at least 16 characters) unless CALLBACK_SIGNING_SECRET_ARN is set',
});
export type CallbackNotifierConfig = z.infer<typeof CallbackNotifierConfigSchema>;

/**
 * Slack notifier settings. Response URLs come from labels any API caller can set, so only Slack's origin is
 * allowed unless SLACK_RESPONSE_ORIGINS (comma-separated origins) says otherwise (tests, a local stand-in).
 */
export const SlackNotifierConfigSchema = FunctionBaseSchema.extend({
  SLACK_RESPONSE_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((o) => o.trim()) : ['https://hooks.slack.com'])),
  SLACK_ALLOW_INSECURE_HTTP: booleanFlag,
  SLACK_ALLOW_PRIVATE_ADDRESSES: booleanFlag,
});
export type SlackNotifierConfig = z.infer<typeof SlackNotifierConfigSchema>;
