import type { CloneJob, JobStatus } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { claimerOf, type PoolCensus } from '../model/pool.js';

const PAGE = 100;
const LIVE: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED'];

/** Every live clone of `pool`, oldest first, across pages: the pool index holds that pool's clones and nothing else. */
export const poolClones = async (jobs: JobRepository, pool: string): Promise<CloneJob[]> => {
  const found: CloneJob[] = [];
  let cursor: string | undefined;
  do {
    const page = await jobs.listByPool(pool, { limit: PAGE, ...(cursor && { cursor }) });
    found.push(...page.jobs);
    cursor = page.cursor;
  } while (cursor);
  return found;
};

/**
 * Counts the pool's clones from the pool index, then overlays `fresh` (jobs just read with consistent reads, e.g.
 * the scaler's outstanding submissions, which a lagging index may not show yet). Recomputed from the table every
 * time, so duplicate or lost triggers never skew it. Reads the pool's live clones and counts the service's QUEUED and
 * RUNNING jobs: what it costs grows with active work, never with the jobs the table keeps.
 */
export const takeCensus = async (jobs: JobRepository, pool: string, fresh: CloneJob[] = []): Promise<PoolCensus> => {
  const [members, queued, running] = await Promise.all([
    poolClones(jobs, pool),
    jobs.countByStatus('QUEUED'),
    jobs.countByStatus('RUNNING'),
  ]);
  let serviceInFlight = queued + running;
  const byId = new Map(members.map((job) => [job.jobId, job]));
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
  (await poolClones(jobs, pool)).filter(
    (job) =>
      job.status === 'SUCCEEDED' &&
      claimerOf(job) === undefined &&
      !job.destroyRequested &&
      job.announced === 'SUCCEEDED',
  );
