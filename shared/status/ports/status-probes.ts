import type { JobStatus } from '../../clones/model/clone-job.js';
import type { QueueDepth } from '../model/status-report.js';

/** vCenter's side of the status. */
export interface VcenterProbe {
  /**
   * Logs in (or reuses the session) and makes one authenticated call. Resolves with vCenter's API version and type;
   * rejects with VcenterUnavailableError or VcenterFaultError (messages name the fix where one is known), or on abort.
   */
  check(options: { signal: AbortSignal }): Promise<{ apiVersion: string; apiType: string }>;
}

/** The clone queue and its dead-letter queue. Rejects when SQS fails. */
export interface QueueDepths {
  depths(): Promise<{ queue: QueueDepth; deadLetterQueue: QueueDepth }>;
}

/** The job table seen through its status index. Rejects when the table fails. */
export interface JobCensus {
  /** How many jobs each status holds. */
  countByStatus(): Promise<Record<JobStatus, number>>;
  /** The earliest-created job of each of these statuses, if any. */
  oldestIn(statuses: readonly JobStatus[]): Promise<Array<{ jobId: string; status: JobStatus; createdAt: string }>>;
}
