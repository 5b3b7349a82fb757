import type { CallbackEvent, CloneJob, JobCallback, JobStatus } from '../model/clone-job.js';
import type { JobChange } from '../model/job-transition.js';

/** One page of a listing; `cursor` is opaque and absent on the last page. */
export type JobPage = { jobs: CloneJob[]; cursor?: string };

/** A job's place in a status listing: by `createdAt`, then `jobId`. */
export type ListPosition = Pick<CloneJob, 'createdAt' | 'jobId'>;

/**
 * One page of a status listing. `newestFirst` reverses the order; `createdSince` (ISO time, inclusive) and `before`
 * (exclusive) bound it by position, so a window of recent jobs is read without touching older ones.
 */
export type ListPageRequest = {
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
  createdSince?: string;
  before?: ListPosition;
};

/** Persistence of clone jobs. The table is the source of truth; every write is conditional. */
export interface JobRepository {
  /**
   * Stores a new job; resolves false, writing nothing, when a job with that id exists (a retried submission made it
   * already). Rejects only when the store fails.
   */
  create(job: CloneJob): Promise<boolean>;
  /** The job, or undefined when there is none. */
  get(jobId: string): Promise<CloneJob | undefined>;
  /**
   * Jobs in `status`, oldest first (see ListPageRequest for the order and bounds). Rejects with InvalidCursorError,
   * before reading anything, on a cursor that is not one it issued (any well-formed position is a valid place to start).
   */
  listByStatus(status: JobStatus, page: ListPageRequest): Promise<JobPage>;
  /**
   * The live clones of warm pool `pool` (labelled with it, QUEUED, RUNNING or SUCCEEDED, claimed or not), oldest
   * first; reads no other job. Cursors as in listByStatus.
   */
  listByPool(pool: string, page: { limit: number; cursor?: string }): Promise<JobPage>;
  /**
   * How many jobs are in `status` (created at or after `createdSince`, when given). Every counted job is read (and
   * paid for), so it is meant for the statuses of active work (QUEUED, RUNNING, DESTROYING) or a recent window.
   */
  countByStatus(status: JobStatus, options?: { createdSince?: string }): Promise<number>;
  /**
   * Jobs that still need the worker (`needsWorker`: QUEUED, RUNNING or DESTROYING, finished but not yet announced,
   * or ended with a clone to destroy), each read afresh from the table; reads no settled job. Cursors as in
   * listByStatus.
   */
  listUnsettled(page: { limit: number; cursor?: string }): Promise<JobPage>;
  /**
   * Writes a change decided by the model's `transition` (status, version, `updatedAt`, patch) only if the stored job
   * still has `change.expected` status and version; judges nothing else. Returns the job as stored. Rejects with
   * StaleTransitionError when another writer came first (or the job is gone).
   */
  save(change: JobChange): Promise<CloneJob>;
  /**
   * Stores `callback` as `callbacks[event]`, replacing the one recorded earlier for that event, and writes nothing
   * else: not `status`, `version` or `updatedAt`. It is conditional only on the job existing, so it never conflicts
   * with (or invalidates) a transition in flight. Resolves without writing when there is no such job (deleted or
   * expired): a late callback never re-creates one. Rejects only when the store fails.
   */
  recordCallback(jobId: string, event: CallbackEvent, callback: JobCallback): Promise<void>;
}
