/**
 * Resource names and coupled settings shared by the CDK stacks and the local runtime (`npm start`).
 * Derived values (visibility timeout) are computed here once, never written as a second literal.
 */
export const RESOURCE_NAMES = {
  jobsTable: 'instaclone-jobs',
  cloneQueue: 'instaclone-clone-requests',
  cloneDeadLetterQueue: 'instaclone-clone-requests-dlq',
  eventBus: 'instaclone',
} as const;

/** Worker Lambda timeout; everything time-coupled to the queue derives from it. */
export const WORKER_TIMEOUT_SECONDS = 300;
/** AWS advice: the queue's visibility timeout is at least 6x the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
export const CLONE_QUEUE_VISIBILITY_TIMEOUT_SECONDS = WORKER_TIMEOUT_SECONDS * VISIBILITY_TIMEOUT_FACTOR;
/** Deliveries before a message is moved to the DLQ. */
export const CLONE_QUEUE_MAX_RECEIVE_COUNT = 5;
/**
 * Records per worker invocation. One, so that the concurrency cap on invocations (the event source mapping's
 * MaximumConcurrency, the local poller's cap) is also a cap on concurrent InstantClone tasks.
 */
export const WORKER_BATCH_SIZE = 1;
/** Parallel worker invocations (the vCenter protection cap), unless VCENTER_MAX_CONCURRENCY says otherwise. */
export const DEFAULT_VCENTER_MAX_CONCURRENCY = 8;

/** The job table's key schema, used by the CDK table and by the local DynamoDB emulator. */
export const JOB_TABLE = {
  partitionKey: 'pk',
  statusIndex: { name: 'by-status', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ttlAttribute: 'expiresAt',
} as const;
