import middy from '@middy/core';
import { makeDynamoDbClient, makeSqsClient } from '#shared/aws/aws-clients';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeRedriveStuckJobs } from '#shared/clones/use-cases/redrive-stuck-jobs';
import { loadConfig } from '#shared/config/load-config';
import { ReconcilerConfigSchema } from '#shared/config/service-config';
import { makeLogger } from '#shared/observability/logger';
import { systemClock } from '#shared/runtime/runtime';

const config = loadConfig(ReconcilerConfigSchema);
const logger = makeLogger('instaclone-reconciler');
const redrive = makeRedriveStuckJobs({
  jobs: new DynamoDbJobRepository(makeDynamoDbClient(config), config.JOBS_TABLE_NAME),
  queue: new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL),
  clock: systemClock,
});

/** Scheduled: re-drives jobs stuck QUEUED or RUNNING, so a lost message never loses a job. */
export const handler = middy().handler(async () => {
  const jobIds = await redrive({ olderThanMs: config.STUCK_AFTER_MINUTES * 60_000 });
  if (jobIds.length > 0) logger.warn('re-drove stuck clone jobs', { count: jobIds.length, jobIds });
  return { redriven: jobIds.length };
});
