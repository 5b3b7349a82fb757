import type { CloneRequest } from './clone-request.js';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DESTROYING', 'DESTROYED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * Which states a job may move to from each state. The clone's life ends in SUCCEEDED or FAILED; a SUCCEEDED
 * clone is later destroyed (DELETE or lease expiry) through DESTROYING, which may be re-entered by a retry.
 */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  QUEUED: ['RUNNING', 'FAILED'],
  RUNNING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: ['DESTROYING'],
  FAILED: [],
  DESTROYING: ['DESTROYED'],
  DESTROYED: [],
};

/** The clone step is over: nothing more for the clone worker to do. */
export const isCloneFinished = (status: JobStatus): boolean => !['QUEUED', 'RUNNING'].includes(status);
export const isTerminal = (status: JobStatus): boolean => TRANSITIONS[status].length === 0;
export const canTransition = (from: JobStatus, to: JobStatus): boolean => TRANSITIONS[from].includes(to);

export type ClonedNic = { key: number; mac: string; addressType: string };
export type ClonedVm = { moref: string; name: string; nics: ClonedNic[]; ipAddress?: string };

/** A failure as recorded on the job and announced in `Clone Failed`. */
export type JobError = { code: string; fault?: string; message: string; retryable: boolean };

/**
 * One clone request's record: the table is the source of truth, the queue only delivery.
 * `version` increases with every write so a stale delivery can never move a job backwards.
 */
export type CloneJob = {
  jobId: string;
  status: JobStatus;
  version: number;
  request: CloneRequest;
  /** Deterministic VM name: a repeated attempt finds the first attempt's VM. */
  vmName: string;
  task?: { moref: string };
  vm?: ClonedVm;
  error?: JobError;
  /** The status whose event has been published; an event is re-sent until this catches up with `status`. */
  announced?: JobStatus;
  /** Guest IP of the source when the clone started: the clone reports it until it re-identifies itself. */
  sourceIp?: string;
  /** Lease end (ISO time), from `ttlMinutes`, set when the clone is ready. */
  leaseExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
  /**
   * The delivery that may start a clone for this job, until `until`: a second delivery of the same message never
   * clones concurrently (it would race the first one's InstantClone_Task), it waits for the first to finish or expire.
   */
  attempt?: { until: string };
  /** DELETE arrived before the clone finished: destroy it as soon as it exists. */
  destroyRequested?: boolean;
  /** When the clone was ready (task done, or guest IP known with `waitFor: ip`). */
  readyAt?: string;
};

/** What the API shows: the job without bookkeeping fields. */
export type CloneJobView = Pick<
  CloneJob,
  | 'jobId'
  | 'status'
  | 'request'
  | 'vmName'
  | 'vm'
  | 'task'
  | 'error'
  | 'leaseExpiresAt'
  | 'createdAt'
  | 'updatedAt'
  | 'readyAt'
> & { labels: Record<string, string> };

export const toJobView = (job: CloneJob): CloneJobView => ({
  jobId: job.jobId,
  status: job.status,
  request: job.request,
  vmName: job.vmName,
  ...(job.task && { task: job.task }),
  ...(job.vm && { vm: job.vm }),
  ...(job.error && { error: job.error }),
  labels: job.request.labels ?? {},
  ...(job.leaseExpiresAt && { leaseExpiresAt: job.leaseExpiresAt }),
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
  ...(job.readyAt && { readyAt: job.readyAt }),
});

/** The VM name a job clones to: the request's name, or one derived from the job id. */
export const vmNameFor = (jobId: string, request: CloneRequest): string => request.name ?? `instaclone-${jobId}`;
