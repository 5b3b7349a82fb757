/**
 * What a granted clone request is charged: its jobs, to the counters `key` names (a rule and a principal, or a
 * rule's group), within the limits of the granting rule (an absent limit is not checked, but still counted).
 */
export type QuotaCharge = {
  key: string;
  jobIds: readonly string[];
  liveClones?: number | undefined;
  concurrentJobs?: number | undefined;
};

/** `field` names the limit that would be passed; `inUse` is what the counter held when the write was refused. */
export type QuotaOutcome =
  | { granted: true }
  | { granted: false; field: 'liveClones' | 'concurrentJobs'; limit: number; inUse: number };

/**
 * The jobs a counter holds: `live` until their clone is gone, `active` while they are queued or running;
 * `acquiredAt`: the last acquire (a job id younger than that may not have its job row yet).
 */
export type QuotaUsage = { key: string; live: string[]; active: string[]; acquiredAt?: string };

/**
 * Live-clone and concurrent-job counters that hold under concurrency: each acquire is one conditional write (never a
 * read then a write), and each counter is the set of the job ids it holds, so acquiring or releasing the same job
 * twice counts it once and a leak can be repaired by looking the jobs up.
 */
export interface QuotaLedger {
  /**
   * Counts `jobIds` as live and active, in one conditional write, if neither limit would be passed, and records
   * `now` as the counter's `acquiredAt`; writes nothing otherwise. A repeated acquire of the same jobs (an SDK retry after a lost answer) is granted and counts nothing.
   */
  acquire(charge: QuotaCharge, now: Date): Promise<QuotaOutcome>;
  /** The jobs are no longer queued or running (their clone step ended). Idempotent; a missing counter is no error. */
  releaseActive(key: string, jobIds: readonly string[]): Promise<void>;
  /** The jobs' clones are gone (destroyed, or never made): releases them as live and as active. Idempotent. */
  releaseLive(key: string, jobIds: readonly string[]): Promise<void>;
  /** What a counter holds now (empty when it was never used). */
  usage(key: string): Promise<QuotaUsage>;
  /** Every counter, a page at a time, for the reconciler's repair. */
  list(page: { limit: number; cursor?: string }): Promise<{ usages: QuotaUsage[]; cursor?: string }>;
}
