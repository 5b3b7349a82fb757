import { JOB_TABLE, type JobTableIndex } from '../../config/resources.js';
import { POOL_LABEL } from '../../pools/model/pool.js';
import { type CloneJob, type JobStatus, needsWorker } from '../model/clone-job.js';
import type { JobChange } from '../model/job-transition.js';

const { partitionKey, statusIndex, unsettledIndex, poolIndex, shards } = JOB_TABLE;

/** The table key of job `jobId`. */
export const keyOf = (jobId: string) => ({ [partitionKey]: `JOB#${jobId}` });

/**
 * The index shard of a job, 0 to `JOB_TABLE.shards - 1`: FNV-1a of its id, so it is the same for every write of the
 * job (a status change moves the job between partitions of one shard) and jobs spread evenly whatever their ids.
 */
export const shardOf = (jobId: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
};

/** Where a job sorts in every index: `<createdAt>#<jobId>` (unique, oldest first). */
export const positionOf = (job: Pick<CloneJob, 'createdAt' | 'jobId'>): string => `${job.createdAt}#${job.jobId}`;

/** One partition key value of one index; `filter` narrows a partition shared with other jobs (legacy ones only). */
export type IndexPartition = {
  index: JobTableIndex;
  value: string;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
};

const everyShard = <T>(make: (shard: number) => T): T[] => Array.from({ length: shards }, (_, shard) => make(shard));

/** The partitions of the status index that hold `status`, one per shard. */
export const statusPartitions = (status: JobStatus): IndexPartition[] =>
  everyShard((shard) => ({ index: statusIndex, value: `STATUS#${status}#${shard}` }));

/** The partitions of the unsettled index, one per shard. */
export const unsettledPartitions = (): IndexPartition[] =>
  everyShard((shard) => ({ index: unsettledIndex, value: `UNSETTLED#${shard}` }));

/** The one partition of the pool index that holds pool `pool`'s live clones. */
export const poolPartition = (pool: string): IndexPartition => ({ index: poolIndex, value: `POOL#${pool}` });

/**
 * The status index partition of `status` as written before the indexes were sharded (`STATUS#<status>`): read
 * only until the table's migration is done (see `JobIndexMigration`), optionally narrowed to one pool's clones.
 */
export const legacyStatusPartition = (status: JobStatus, pool?: string): IndexPartition => ({
  index: statusIndex,
  value: `STATUS#${status}`,
  ...(pool !== undefined && {
    filter: {
      expression: '#request.#labels.#pool = :pool',
      names: { '#request': 'request', '#labels': 'labels', '#pool': POOL_LABEL },
      values: { ':pool': pool },
    },
  }),
});

/** The statuses in which a pool clone counts for its pool (claimed or not): it is, or is becoming, a running VM. */
export const POOL_LIVE_STATUSES: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED'];

/** Attributes only the table's indexes need: never part of a job as the domain sees it. */
export const INDEX_ATTRIBUTES: readonly string[] = [
  partitionKey,
  statusIndex.partitionKey,
  statusIndex.sortKey,
  unsettledIndex.partitionKey,
  poolIndex.partitionKey,
];

/**
 * Every index attribute of `job` as it should be stored; `undefined` means absent (the sparse indexes leave the job
 * out). Used to create jobs and by the migration, which compares it with what an old item holds.
 */
export const indexAttributesOf = (
  job: Pick<CloneJob, 'jobId' | 'createdAt' | 'status' | 'announced' | 'cleanupPending' | 'request'>,
): Record<string, string | undefined> => {
  const shard = shardOf(job.jobId);
  const pool = job.request.labels?.[POOL_LABEL];
  return {
    [statusIndex.partitionKey]: `STATUS#${job.status}#${shard}`,
    [statusIndex.sortKey]: positionOf(job),
    [unsettledIndex.partitionKey]: needsWorker(job) ? `UNSETTLED#${shard}` : undefined,
    [poolIndex.partitionKey]:
      pool !== undefined && POOL_LIVE_STATUSES.includes(job.status) ? poolPartition(pool).value : undefined,
  };
};

/**
 * The index attributes a change writes: the status keys (always, so a job written before the indexes were sharded
 * moves into its shard on its next change), the unsettled key set or removed by `needsWorker`, and the pool key
 * removed once the job leaves the pool's live statuses (it never returns to them). Setting a key to the value it has
 * costs no index write.
 */
export const indexChangesOf = (change: JobChange): { sets: Record<string, string>; removes: string[] } => {
  const shard = shardOf(change.jobId);
  const sets: Record<string, string> = {
    [statusIndex.partitionKey]: `STATUS#${change.status}#${shard}`,
    [statusIndex.sortKey]: positionOf(change),
  };
  const removes: string[] = [];
  if (change.needsWorker) sets[unsettledIndex.partitionKey] = `UNSETTLED#${shard}`;
  else removes.push(unsettledIndex.partitionKey);
  if (!POOL_LIVE_STATUSES.includes(change.status)) removes.push(poolIndex.partitionKey);
  return { sets, removes };
};
