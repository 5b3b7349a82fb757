import middy from '@middy/core';
import { makeDynamoDbClient, makeEventBridgeClient, makeSqsClient } from '#shared/aws/aws-clients';
import { EventBridgeEventPublisher } from '#shared/aws/eventbridge-event-publisher';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { loadConfig } from '#shared/config/load-config';
import { makeLogger } from '#shared/observability/logger';
import { DynamoDbPoolClaims } from '#shared/pools/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/pools/adapters/dynamodb-pool-repository';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { PoolScalerConfigSchema } from '#shared/pools/config';
import { scalerTriggerFor } from '#shared/pools/model/scaler-trigger';
import { makeRunScaler } from '#shared/pools/use-cases/scale-all-pools';
import { makeScalePool } from '#shared/pools/use-cases/scale-pool';
import { randomIds as ids } from '#shared/runtime/random-ids';
import { systemClock as clock } from '#shared/runtime/runtime';

// Composition root: built once per cold start.
const config = loadConfig(PoolScalerConfigSchema);
const logger = makeLogger('instaclone-pool-scaler');
const dynamo = makeDynamoDbClient(config);
const jobs = new DynamoDbJobRepository(dynamo, config.JOBS_TABLE_NAME);
const pools = new DynamoDbPoolRepository(dynamo, config.JOBS_TABLE_NAME);
const queue = new SqsCloneQueue(makeSqsClient(config), config.CLONE_QUEUE_URL);
const runScaler = makeRunScaler({
  pools,
  scalePool: makeScalePool({
    pools,
    jobs,
    claims: new DynamoDbPoolClaims(dynamo, config.JOBS_TABLE_NAME),
    submitClone: makeSubmitClone({ jobs, queue, clock, ids }),
    requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
    events: poolEventsVia(new EventBridgeEventPublisher(makeEventBridgeClient(config), config.EVENT_BUS_NAME)),
    clock,
    ids,
    policy: { maxInFlight: config.VCENTER_MAX_CONCURRENCY, backoffBaseMs: config.POOL_BACKOFF_BASE_SECONDS * 1000 },
  }),
});

/**
 * EventBridge target (pool clone completions, claims, releases, `Pool Scale Requested`) and schedule: scales the
 * pool the event names, or every pool. Throws when a pool could not be scaled, so Lambda's async retries (and the
 * schedule) try again.
 */
export const handler = middy().handler(async (event: unknown) => {
  const { outcomes, failures } = await runScaler(scalerTriggerFor(event));
  for (const outcome of outcomes) {
    if (outcome.submitted.length || outcome.retired.length || outcome.degraded)
      logger.info('pool scaled', { ...outcome });
  }
  if (failures.length > 0) {
    for (const { pool, error } of failures) logger.error('pool scaling failed', { pool, error: error as Error });
    throw new Error(`Scaling failed for pool(s) ${failures.map((f) => f.pool).join(', ')}`);
  }
  return { scaled: outcomes.map((o) => o.pool) };
});
