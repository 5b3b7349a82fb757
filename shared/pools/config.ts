import * as z from 'zod';
import { DEFAULT_VCENTER_MAX_CONCURRENCY } from '../config/resources.js';
import {
  FunctionBaseSchema,
  MacRangesSettingSchema,
  VCENTER_CREDENTIALS_GIVEN,
  VCENTER_SETTINGS,
} from '../config/service-config.js';

const required = (hint: string) => z.string({ error: `is required (${hint})` }).min(1, `is required (${hint})`);

/** Environment of the pool API: it writes pools and jobs, queues clones and publishes pool events. */
export const PoolApiConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: required('the job table name; pools live in it too'),
  CLONE_QUEUE_URL: required('the clone queue URL'),
  EVENT_BUS_NAME: required('the event bus name'),
  /** Managed MAC ranges a pool template's `"mac": "range:<name>"` allocates from. */
  INSTACLONE_MAC_RANGES: MacRangesSettingSchema,
});

/**
 * Environment of the pool API function: the API's, and vCenter exactly as the worker reaches it (a claim reads the job
 * id on a spare's VM before handing it out).
 */
export const PoolClaimConfigSchema = PoolApiConfigSchema.extend(VCENTER_SETTINGS).refine(...VCENTER_CREDENTIALS_GIVEN);

/** Environment of the pool scaler: the API's, plus the vCenter concurrency cap and the back-off of degraded pools. */
export const PoolScalerConfigSchema = PoolApiConfigSchema.extend({
  VCENTER_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(DEFAULT_VCENTER_MAX_CONCURRENCY),
  POOL_BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});
