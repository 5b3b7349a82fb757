import type { CloneJob, JobStatus } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { claimerOf, type PoolCensus, poolOf } from '../model/pool.js';

const PAGE = 100;
const LIVE: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED'];

/** Every job in `status`, oldest first, across pages. */
export const allJobs = async (jobs: JobRepository, status: JobStatus): Promise<CloneJob[]> => {
  const found: CloneJob[] = [];
  let cursor: string | undefined;
  do {
    const page = await jobs.listByStatus(status, { limit: PAGE, ...(cursor && { cursor }) });
    found.push(...page.jobs);
    cursor = page.cursor;
  } while (cursor);
  return found;
};

/**
 * Counts the pool's clones from the status index, then overlays `fresh` (jobs just read with consistent reads,
 * e.g. the scaler's outstanding submissions, which a lagging index may not show yet). Recomputed from the table
 * every time, so duplicate or lost triggers never skew it.
 */
export const takeCensus = async (jobs: JobRepository, pool: string, fresh: CloneJob[] = []): Promise<PoolCensus> => {
  const byId = new Map<string, CloneJob>();
  let serviceInFlight = 0;
  for (const status of LIVE) {
    for (const job of await allJobs(jobs, status)) {
      if (status !== 'SUCCEEDED') serviceInFlight++;
      if (poolOf(job) === pool) byId.set(job.jobId, job);
    }
  }
  for (const job of fresh) {
    const listed = byId.get(job.jobId);
    if (!listed && ['QUEUED', 'RUNNING'].includes(job.status)) serviceInFlight++;
    byId.set(job.jobId, job);
  }
  const census: PoolCensus = { ready: [], inFlight: [], claimed: [], serviceInFlight };
  for (const job of byId.values()) {
    if (job.destroyRequested || !LIVE.includes(job.status)) continue;
    if (claimerOf(job) !== undefined) census.claimed.push(job);
    else if (job.status === 'SUCCEEDED') census.ready.push(job);
    else census.inFlight.push(job);
  }
  census.ready.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return census;
};

/** Ready spares of the pool, oldest first, that a claim may take (finished and announced). */
export const readySpares = async (jobs: JobRepository, pool: string): Promise<CloneJob[]> =>
  (await allJobs(jobs, 'SUCCEEDED')).filter(
    (job) =>
      poolOf(job) === pool && claimerOf(job) === undefined && !job.destroyRequested && job.announced === 'SUCCEEDED',
  );
