import * as z from 'zod';
import { type MacRange, MacRangesSchema } from '../clones/model/mac-ranges.js';
import { jsonSetting } from './json-setting.js';
import { DEFAULT_VCENTER_MAX_CONCURRENCY } from './resources.js';

/**
 * The `INSTACLONE_MAC_RANGES` setting: a MacRangesSchema document as JSON, parsed into the ranges (none when absent or
 * empty). An invalid document fails the function's configuration, naming each problem.
 */
export const MacRangesSettingSchema = jsonSetting(MacRangesSchema).transform((doc): MacRange[] => doc?.ranges ?? []);

export const required = (hint: string) => z.string({ error: `is required (${hint})` }).min(1, `is required (${hint})`);
const optionalUrl = z.url().optional();

/** AWS endpoints: set only locally, where every client must be pointed at an emulator explicitly. */
export const AwsEndpointsSchema = z.object({
  AWS_REGION: z.string().default('us-east-1'),
  AWS_ENDPOINT_URL_SQS: optionalUrl,
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl,
  AWS_ENDPOINT_URL_EVENTBRIDGE: optionalUrl,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: optionalUrl,
});

/** `true`/`1` or `false`/`0`/empty/absent. */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * What every function reads: the AWS endpoints, and Powertools' own settings, read here once and passed to the
 * logger and metrics explicitly (infra sets them; a local stack chooses them). Powertools still reads
 * `AWS_LAMBDA_LOG_LEVEL` (Lambda's log controls win), `POWERTOOLS_DEV` and, for idempotency records,
 * `AWS_LAMBDA_FUNCTION_NAME` itself.
 */
export const FunctionBaseSchema = AwsEndpointsSchema.extend({
  /** The function's own service name (infra sets it on each), for the log lines of clients shared by several. */
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional(),
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .transform((level) => level.toUpperCase())
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']))
    .optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).optional(),
  /** Locally EMF lines would only flood the terminal: the worker then records no metrics at all. */
  POWERTOOLS_METRICS_DISABLED: booleanFlag,
});

export const ApiConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: required('the job table name'),
  CLONE_QUEUE_URL: required('the clone queue URL'),
  /** Managed MAC ranges for `"mac": "range:<name>"` (MacRangesSchema JSON); absent: none. */
  INSTACLONE_MAC_RANGES: MacRangesSettingSchema,
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;

/** How a function reaches vCenter: the worker's and the status's settings, the same keys for both. */
export const VCENTER_SETTINGS = {
  VCENTER_URL: z.url({ error: 'is required: the vCenter SDK URL, e.g. https://vcenter.example.com/sdk' }),
  VCENTER_USERNAME: z.string().optional(),
  VCENTER_PASSWORD: z.string().optional(),
  VCENTER_SECRET_ARN: z.string().optional(),
  VCENTER_CA_FILE: z.string().optional(),
  VCENTER_INSECURE: booleanFlag,
  VCENTER_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(DEFAULT_VCENTER_MAX_CONCURRENCY),
};

/** vCenter credentials come either from env (local runs) or from a Secrets Manager secret (AWS): exactly one. */
type VcenterCredentialSettings = { [K in 'VCENTER_SECRET_ARN' | 'VCENTER_USERNAME' | 'VCENTER_PASSWORD']?: string };
export const VCENTER_CREDENTIALS_GIVEN: [
  (c: VcenterCredentialSettings) => boolean,
  { path: string[]; message: string },
] = [
  (c) => c.VCENTER_SECRET_ARN !== undefined || Boolean(c.VCENTER_USERNAME && c.VCENTER_PASSWORD),
  { path: ['VCENTER_SECRET_ARN'], message: 'is required unless VCENTER_USERNAME and VCENTER_PASSWORD are set' },
];

/** The worker's settings: the table, the queue (to hand messages back), the bus, and vCenter. */
export const WorkerConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: required('the job table name'),
  EVENT_BUS_NAME: required('the event bus name'),
  CLONE_QUEUE_URL: required('the clone queue URL, to hand back messages whose task is still running'),
  ...VCENTER_SETTINGS,
}).refine(...VCENTER_CREDENTIALS_GIVEN);
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

/** The scheduled reaper; with the bus (warm pools on), a claim whose lease ran out is announced as `Pool Released`. */
export const ReaperConfigSchema = ApiConfigSchema.extend({
  EVENT_BUS_NAME: z.string().min(1).optional(),
});

/** The scheduled reconciler: a job untouched this long in QUEUED or RUNNING is re-driven. */
export const ReconcilerConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: required('the job table name'),
  CLONE_QUEUE_URL: required('the clone queue URL'),
  STUCK_AFTER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});
