import middy from '@middy/core';
import { makeDynamoDbClient, makeEventBridgeClient, makeSqsClient } from '#shared/adapters/aws-clients';
import { DynamoDbJobRepository } from '#shared/adapters/dynamodb-job-repository';
import { DynamoDbPoolClaims } from '#shared/adapters/dynamodb-pool-claims';
import { DynamoDbPoolRepository } from '#shared/adapters/dynamodb-pool-repository';
import { EventBridgeEventPublisher } from '#shared/adapters/eventbridge-event-publisher';
import { randomIds as ids } from '#shared/adapters/random-ids';
import { SqsCloneQueue } from '#shared/adapters/sqs-clone-queue';
import { loadConfig } from '#shared/config/load-config';
import { makeLogger } from '#shared/observability/logger';
import { PoolScalerConfigSchema } from '#shared/pools/pool-config';
import { poolEventsVia } from '#shared/pools/pool-event-publisher';
import { makeRunScaler } from '#shared/pools/scale-all-pools';
import { makeScalePool } from '#shared/pools/scale-pool';
import { scalerTriggerFor } from '#shared/pools/scaler-trigger';
import { systemClock as clock } from '#shared/ports/runtime';
import { makeRequestDestroy } from '#shared/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/use-cases/submit-clone';

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
