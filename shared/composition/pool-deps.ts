import { DynamoDbPoolClaims } from '../clones/adapters/dynamodb-pool-claims.js';
import { DynamoDbPoolRepository } from '../pools/adapters/dynamodb-pool-repository.js';
import { poolEventsVia } from '../pools/adapters/pool-event-publisher.js';
import type { PoolClaims, PoolEventPublisher, PoolRepository } from '../pools/ports/pool-ports.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import { family } from './family.js';

/** Warm pools: their specs and claims in the job table, and their events on the service bus. */
export type PoolDeps = {
  readonly pools: PoolRepository;
  readonly claims: PoolClaims;
  readonly poolEvents: PoolEventPublisher;
};

export const poolFamily = family<PoolDeps, AwsDeps>((config) => ({
  pools: (d) => new DynamoDbPoolRepository(d.dynamo, jobsTable(config)),
  claims: (d) => new DynamoDbPoolClaims(d.dynamo, jobsTable(config)),
  poolEvents: (d) => poolEventsVia(d.events),
}));
