import { makeDynamoDbClient, makeEventBridgeClient, makeSqsClient } from '../aws/aws-clients.js';
import { EventBridgeEventPublisher } from '../aws/eventbridge-event-publisher.js';
import { DynamoDbJobRepository } from '../clones/adapters/dynamodb-job-repository.js';
import { SqsCloneQueue } from '../clones/adapters/sqs-clone-queue.js';
import { SqsRedelivery } from '../clones/adapters/sqs-redelivery.js';
import type { CloneQueue } from '../clones/ports/clone-queue.js';
import type { JobRepository } from '../clones/ports/job-repository.js';
import type { EventPublisher } from '../events/event-publisher.js';
import { type AwsClients, family } from './family.js';
import type { ServiceConfig } from './function-config.js';
import { required } from './lazily.js';

/** The service's table, queue and bus, and the job repository, queue and publisher over them. */
export type AwsDeps = AwsClients & {
  readonly jobs: JobRepository;
  readonly queue: CloneQueue;
  /** Hands a received clone message back early (its task outlived the invocation). */
  readonly redelivery: SqsRedelivery;
  /** The service bus; throws without EVENT_BUS_NAME. */
  readonly events: EventPublisher;
  /** The service bus where the function has one (optional for the reaper and the hooks). */
  readonly optionalEvents: EventPublisher | undefined;
};

/** The job table's name (jobs, pools, claims, deliveries and idempotency records all live in it). */
export const jobsTable = (config: ServiceConfig): string => required(config.JOBS_TABLE_NAME, 'JOBS_TABLE_NAME');

export const awsFamily = family<AwsDeps>((config, clients) => {
  const endpoints = { ...config, AWS_REGION: config.AWS_REGION ?? 'us-east-1' };
  const queueUrl = () => required(config.CLONE_QUEUE_URL, 'CLONE_QUEUE_URL');
  return {
    dynamo: () => clients.dynamo ?? makeDynamoDbClient(endpoints),
    sqs: () => clients.sqs ?? makeSqsClient(endpoints),
    eventBridge: () => clients.eventBridge ?? makeEventBridgeClient(endpoints),
    jobs: (d) => new DynamoDbJobRepository(d.dynamo, jobsTable(config)),
    queue: (d) => new SqsCloneQueue(d.sqs, queueUrl()),
    redelivery: (d) => new SqsRedelivery(d.sqs, queueUrl()),
    events: (d) => new EventBridgeEventPublisher(d.eventBridge, required(config.EVENT_BUS_NAME, 'EVENT_BUS_NAME')),
    optionalEvents: (d) => (config.EVENT_BUS_NAME ? d.events : undefined),
  };
});
