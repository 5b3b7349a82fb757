import type { CloneRequest } from './clone-request.js';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Which states a job may move to from each state. Terminal states have no way out. */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  QUEUED: ['RUNNING', 'FAILED'],
  RUNNING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

export const isTerminal = (status: JobStatus): boolean => TRANSITIONS[status].length === 0;
export const canTransition = (from: JobStatus, to: JobStatus): boolean => TRANSITIONS[from].includes(to);

export type ClonedNic = { key: number; mac: string; addressType: string };
export type ClonedVm = { moref: string; name: string; nics: ClonedNic[] };

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
  /** Set once the completion event for the terminal state has been published. */
  eventPublished?: boolean;
  createdAt: string;
  updatedAt: string;
};

/** What the API shows: the job without bookkeeping fields. */
export type CloneJobView = Pick<
  CloneJob,
  'jobId' | 'status' | 'request' | 'vm' | 'task' | 'error' | 'createdAt' | 'updatedAt'
> & {
  vmName: string;
};

export const toJobView = (job: CloneJob): CloneJobView => ({
  jobId: job.jobId,
  status: job.status,
  request: job.request,
  vmName: job.vmName,
  ...(job.task && { task: job.task }),
  ...(job.vm && { vm: job.vm }),
  ...(job.error && { error: job.error }),
  createdAt: job.createdAt,
  updatedAt: job.updatedAt,
});

/** The VM name a job clones to: the request's name, or one derived from the job id. */
export const vmNameFor = (jobId: string, request: CloneRequest): string => request.name ?? `instaclone-${jobId}`;
