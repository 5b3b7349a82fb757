import middy from '@middy/core';
import {
  makeDynamoDbClient,
  makeEventBridgeClient,
  makeSecretsManagerClient,
  makeSqsClient,
} from '#shared/aws/aws-clients';
import { EventBridgeEventPublisher } from '#shared/aws/eventbridge-event-publisher';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeReapExpiredLeases } from '#shared/clones/use-cases/reap-expired-leases';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { loadConfig } from '#shared/config/load-config';
import { ReaperConfigSchema } from '#shared/config/service-config';
import { makeLogger } from '#shared/observability/logger';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { announcingExpiredClaims } from '#shared/pools/use-cases/release-pool-clone';
import { makeIdleRunnerReaperFromConfig, RunnerWorkerConfigSchema } from '#shared/runners/config';
import { systemClock } from '#shared/runtime/runtime';

const config = loadConfig(ReaperConfigSchema);
const logger = makeLogger('instaclone-reaper');
const jobs = new DynamoDbJobRepository(makeDynamoDbClient(config), config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const requestDestroy = makeRequestDestroy({ jobs, queue, clock: systemClock });
// With the bus (warm pools on), pool consumers hear of claims whose lease ran out as of those given back.
const expire = config.EVENT_BUS_NAME
  ? announcingExpiredClaims({
      requestDestroy,
      events: poolEventsVia(new EventBridgeEventPublisher(makeEventBridgeClient(config), config.EVENT_BUS_NAME)),
      clock: systemClock,
    })
  : requestDestroy;
const reap = makeReapExpiredLeases({ jobs, clock: systemClock, requestDestroy: expire });
// GitHub runner clones that never got a job (undefined without runner pools and a GitHub App).
const reapIdleRunners = makeIdleRunnerReaperFromConfig(
  loadConfig(RunnerWorkerConfigSchema),
  () => makeSecretsManagerClient(config),
  { jobs, requestDestroy, clock: systemClock },
);

/** Scheduled: ends expired leases exactly as a DELETE would (the worker then destroys the clones). */
export const handler = middy().handler(async () => {
  const jobIds = await reap();
  if (jobIds.length > 0) logger.info('clone leases expired', { count: jobIds.length, jobIds });
  const idle = (await reapIdleRunners?.()) ?? [];
  if (idle.length > 0) logger.info('idle runner clones reaped', { count: idle.length, runners: idle });
  return { reaped: jobIds.length, idleRunners: idle.length };
});
