import middy from '@middy/core';
import { makeReapExpiredLeases } from '#shared/clones/use-cases/reap-expired-leases';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { githubFamily } from '#shared/composition/github-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ReaperConfigSchema } from '#shared/config/service-config';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { announcingExpiredClaims } from '#shared/pools/use-cases/release-pool-clone';
import { RunnerWorkerConfigSchema } from '#shared/runners/config';
import { makeReapIdleRunners } from '#shared/runners/use-cases/reap-idle-runners';

export type ReaperDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'queue' | 'clock' | 'optionalEvents' | 'runnerPools' | 'githubApp' | 'logger'
>;

/** What this function reads from its environment (validated once, at cold start), GitHub runner settings included. */
export const configSchema = ReaperConfigSchema.safeExtend(RunnerWorkerConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, secretFamily, githubFamily);

/**
 * Scheduled: ends expired leases exactly as a DELETE would (the worker then destroys the clones); with the bus
 * (warm pools on), pool consumers hear of claims whose lease ran out as of those given back. Then destroys GitHub
 * runner clones that never got a job, when runner pools and a GitHub App are configured.
 */
export const makeHandler = ({ jobs, queue, clock, optionalEvents, runnerPools, githubApp, logger }: ReaperDeps) => {
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const expire = optionalEvents
    ? announcingExpiredClaims({ requestDestroy, events: poolEventsVia(optionalEvents), clock })
    : requestDestroy;
  const reap = makeReapExpiredLeases({ jobs, clock, requestDestroy: expire });
  const reapIdleRunners =
    runnerPools.pools.length > 0 && githubApp
      ? makeReapIdleRunners({ jobs, requestDestroy, clock, pools: runnerPools, github: githubApp })
      : undefined;
  const log = logger(serviceNameOf('reaper'));
  return middy().handler(async () => {
    const jobIds = await reap();
    if (jobIds.length > 0) log.info('clone leases expired', { count: jobIds.length, jobIds });
    const idle = (await reapIdleRunners?.()) ?? [];
    if (idle.length > 0) log.info('idle runner clones reaped', { count: idle.length, runners: idle });
    return { reaped: jobIds.length, idleRunners: idle.length };
  });
};
