import middy from '@middy/core';
import { makeRedriveStuckJobs } from '#shared/clones/use-cases/redrive-stuck-jobs';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ReconcilerConfigSchema } from '#shared/config/service-config';

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = ReconcilerConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily);

export type ReconcilerDeps = Pick<ReturnType<typeof buildDeps>, 'jobs' | 'queue' | 'clock' | 'stuckAfterMs' | 'logger'>;

/** Scheduled: re-drives jobs stuck QUEUED, RUNNING or DESTROYING, so a lost message never loses a job. */
export const makeHandler = ({ jobs, queue, clock, stuckAfterMs, logger }: ReconcilerDeps) => {
  const redrive = makeRedriveStuckJobs({ jobs, queue, clock });
  const log = logger(serviceNameOf('reconciler'));
  return middy().handler(async () => {
    const jobIds = await redrive({ olderThanMs: stuckAfterMs });
    if (jobIds.length > 0) log.warn('re-drove stuck clone jobs', { count: jobIds.length, jobIds });
    return { redriven: jobIds.length, jobIds };
  });
};
