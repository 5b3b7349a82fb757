import type { CloneJob } from '../../clones/model/clone-job.js';
import { CLAIMED_BY_LABEL, POOL_LABEL } from '../../pools/model/pool.js';
import { RUNNER_LABELS } from '../../runners/model/github-webhook.js';

/**
 * The moments of one job's life that the statistics count, in epoch milliseconds (undefined: not (yet) happened).
 * Jobs recorded before a timestamp existed fall back to the nearest later one, so old jobs still count roughly.
 */
export type JobMoments = {
  accepted: number;
  /** A worker took it (QUEUED → RUNNING); for a job that failed in the queue, when it failed. */
  leftQueue?: number;
  /** The clone step ended: ready, or failed. */
  ended?: number;
  ready?: number;
  failed?: number;
  /** A pool clone was claimed (a clone made for a claim: from its start). */
  claimed?: number;
  /** Its destroy began (DESTROYING) or ended (DESTROYED). */
  gone?: number;
  taskStarted?: number;
  taskEnded?: number;
  pool?: string;
  /** A GitHub runner clone: webhook → runner able to start (cold: clone ready; warm spare: JIT config set). */
  runnerUp?: { from: number; at: number };
};

const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));
const STILL_QUEUED = new Set(['QUEUED']);
const IN_CLONE_STEP = new Set(['QUEUED', 'RUNNING']);

const runnerUp = (job: CloneJob, claimed: number | undefined): JobMoments['runnerUp'] => {
  const labels = job.request.labels ?? {};
  if (labels[RUNNER_LABELS.pool] === undefined) return undefined;
  const warm = labels[RUNNER_LABELS.warm] !== undefined;
  const from = warm ? claimed : ms(job.createdAt);
  const at = warm ? ms(job.configuredAt) : ms(job.readyAt);
  return from !== undefined && at !== undefined ? { from, at } : undefined;
};

/** The moments of `job` (see JobMoments). */
export const momentsOf = (job: CloneJob): JobMoments => {
  const accepted = Date.parse(job.createdAt);
  const updated = Date.parse(job.updatedAt);
  const labels = job.request.labels ?? {};
  const failed = job.status === 'FAILED' ? updated : undefined;
  const leftQueue =
    ms(job.startedAt ?? job.taskStartedAt ?? job.readyAt) ?? (STILL_QUEUED.has(job.status) ? undefined : updated);
  const ready = ms(job.readyAt);
  const ended = ready ?? failed ?? (IN_CLONE_STEP.has(job.status) ? undefined : updated);
  const claimed = ms(job.claimedAt) ?? (labels[CLAIMED_BY_LABEL] !== undefined ? accepted : undefined);
  const destroying = job.status === 'DESTROYING' || job.status === 'DESTROYED';
  const gone = ms(job.destroyedAt) ?? (destroying ? updated : undefined);
  const moments: JobMoments = { accepted };
  const optional = {
    leftQueue,
    ended,
    ready,
    failed,
    claimed,
    gone,
    taskStarted: ms(job.taskStartedAt),
    taskEnded: ms(job.taskEndedAt),
    pool: labels[POOL_LABEL],
    runnerUp: runnerUp(job, claimed),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(moments, { [key]: value });
  return moments;
};
