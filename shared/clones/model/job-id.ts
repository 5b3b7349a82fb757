import * as z from 'zod';

/**
 * A job id as the service issues them: a UUID (`randomIds`) or a GitHub runner's `github-job-<n>`. Checked before
 * any lookup, so an id that could never exist is a 400 naming it, not a 404 after a table read (and never a key over
 * DynamoDB's size limits).
 */
export const JobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a job id: 1-64 letters, digits or "-" (e.g. a UUID)');

/** True when `value` has the shape of a job id. */
export const isJobId = (value: string): boolean => JobIdSchema.safeParse(value).success;
