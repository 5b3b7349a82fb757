import { FunctionBaseSchema, required, VCENTER_CREDENTIALS_GIVEN, VCENTER_SETTINGS } from '../config/service-config.js';

/**
 * The status function's settings: the job table and both queues (read only), and vCenter exactly as the worker reaches
 * it (the same URL, credentials and CA), so a login that works here works for the worker.
 */
export const StatusConfigSchema = FunctionBaseSchema.extend({
  JOBS_TABLE_NAME: required('the job table name'),
  CLONE_QUEUE_URL: required('the clone queue URL'),
  CLONE_DLQ_URL: required('the clone queue’s dead-letter queue URL'),
  ...VCENTER_SETTINGS,
}).refine(...VCENTER_CREDENTIALS_GIVEN);
