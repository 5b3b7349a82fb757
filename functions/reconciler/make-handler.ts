import middy from '@middy/core';
import { makeRepairQuotas } from '#shared/access/use-cases/settle-quota';
import { makeRedriveStuckJobs } from '#shared/clones/use-cases/redrive-stuck-jobs';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ReconcilerConfigSchema } from '#shared/config/service-config';

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = ReconcilerConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, accessFamily);

export type ReconcilerDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'queue' | 'clock' | 'stuckAfterMs' | 'logger' | 'quotaLedger'
>;

/**
 * Scheduled: re-drives jobs stuck QUEUED, RUNNING or DESTROYING, so a lost message never loses a job, and repairs the
 * quota counters (ids of jobs that ended, or were never written, are released), so a crash never holds a quota.
 */
export const makeHandler = ({ jobs, queue, clock, stuckAfterMs, logger, quotaLedger }: ReconcilerDeps) => {
  const redrive = makeRedriveStuckJobs({ jobs, queue, clock });
  const repairQuotas = makeRepairQuotas({
    ledger: quotaLedger,
    statusOf: async (jobId) => (await jobs.get(jobId))?.status,
    clock,
  });
  const log = logger(serviceNameOf('reconciler'));
  return middy().handler(async () => {
    const jobIds = await redrive({ olderThanMs: stuckAfterMs });
    if (jobIds.length > 0) log.warn('re-drove stuck clone jobs', { count: jobIds.length, jobIds });
    const released = await repairQuotas();
    if (released > 0) log.warn('released quota of ended jobs', { count: released });
    return { redriven: jobIds.length, jobIds, quotaReleased: released };
  });
};
