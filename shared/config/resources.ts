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
/** Memory of every function (MB) unless its construct or the stage (`worker.memorySizeMb`) says otherwise. */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

/** Parallel worker invocations (the vCenter protection cap), unless VCENTER_MAX_CONCURRENCY says otherwise. */
export const DEFAULT_VCENTER_MAX_CONCURRENCY = 8;

/**
 * The job table's key schema, used by the CDK table and by the local DynamoDB emulator. Every entry with a `name` is
 * a global secondary index (infra grants each by name). Index keys are spread over `shards` partition key values
 * (`<prefix>#<shard>`, the shard a hash of the job id) so no index partition takes more than a share of the writes;
 * readers query every shard and merge by the sort key, `<createdAt>#<jobId>`, which all indexes share.
 * - `statusIndex`: every job under `STATUS#<status>#<shard>` (listings, per-status counts), all attributes projected.
 * - `unsettledIndex`: sparse, only jobs that still need the worker (`needsWorker`), keys only: the reconciler's list.
 * - `poolIndex`: sparse, only live clones of a warm pool under `POOL#<pool>` (one pool's clones are few: no shards).
 * The design and its cost: infra/README.md, "The job table's indexes".
 */
export const JOB_TABLE = {
  partitionKey: 'pk',
  statusIndex: { name: 'by-status', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
  unsettledIndex: { name: 'unsettled', partitionKey: 'unsettledpk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
  poolIndex: { name: 'by-pool', partitionKey: 'poolpk', sortKey: 'gsi1sk', projection: 'ALL' },
  shards: 8,
  ttlAttribute: 'expiresAt',
} as const;

/** One global secondary index of the job table. */
export type JobTableIndex = { name: string; partitionKey: string; sortKey: string; projection: 'ALL' | 'KEYS_ONLY' };

/** The job table's indexes, in the order they were added (CloudFormation adds one per stack update). */
export const JOB_TABLE_INDEXES: readonly JobTableIndex[] = [
  JOB_TABLE.statusIndex,
  JOB_TABLE.unsettledIndex,
  JOB_TABLE.poolIndex,
];
