import type { Principal } from '../../access/model/principal.js';
import type { CloneJob, JobStatus } from '../../clones/model/clone-job.js';
import type { CloneAccess } from '../../clones/ports/clone-access.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import type { Clock } from '../../runtime/runtime.js';
import { computeJobStats, type JobStats } from '../model/job-stats.js';

export type GetStatsDeps = {
  jobs: Pick<JobRepository, 'listByStatus'>;
  clock: Clock;
  /** The policy: the caller must be allowed to list, and the figures count only the jobs it may read. */
  access: Pick<CloneAccess, 'authorize' | 'mayRead'>;
  /** Most jobs read for one answer; beyond it the answer says `truncated`. @default 5000 */
  maxJobs?: number;
  /** How long an answer is reused for the same window (many open consoles, one read). @default 10 s */
  cacheMs?: number;
};
export type StatsQuery = { windowMs: number; bucketMs: number };

/** Statuses whose every job is read: what is alive now (bounded by the queue and by live clones). */
const LIVE: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'DESTROYING'];
/** Statuses read only from the window's start: they grow with history. */
const ENDED: readonly JobStatus[] = ['FAILED', 'DESTROYED'];
const PAGE = 200;
/**
 * Readings kept at once: the console's four windows (5m, 15m, 1h, 6h). A caller may ask for any window from 5m to 6h,
 * and each reading holds up to `maxJobs` jobs, so a cache without this bound grew in a warm container with every
 * window ever asked for (356 of them).
 */
const CACHED_WINDOWS = 4;

/**
 * `GET /v1/stats`: statistics of the last `windowMs` computed from job timestamps (computeJobStats). It reads every
 * live job (QUEUED, RUNNING, SUCCEEDED, DESTROYING: the pool census reads the same) and the FAILED and DESTROYED jobs
 * created inside the window (a range query on the status index, never a scan), at most `maxJobs` in all. So its cost
 * grows with live clones plus jobs per window, not with history. Blind spot: a clone created before the window and
 * destroyed inside it is not seen (a pool's claim of an older spare that was also released inside the window).
 * The figures count only the jobs `principal` may read (as a listing shows them). The jobs read are reused for
 * `cacheMs`, for every caller, for the last {@link CACHED_WINDOWS} windows read (older and expired readings are
 * dropped, so a warm container keeps at most that many). Rejects with AccessDeniedError (403) when the principal may
 * not list at all, before reading anything; rejects when the table fails.
 */
export const makeGetStats = ({ jobs, clock, access, maxJobs = 5000, cacheMs = 10_000 }: GetStatsDeps) => {
  type Reading = { at: number; found: CloneJob[]; truncated: boolean };
  const cache = new Map<string, Reading>();
  const fresh = (key: string, nowMs: number): Reading | undefined => {
    for (const [window, reading] of cache) if (nowMs - reading.at >= cacheMs) cache.delete(window);
    return cache.get(key);
  };
  const keep = (key: string, reading: Reading): void => {
    cache.delete(key);
    cache.set(key, reading);
    // A Map iterates in insertion order: the first key is the window read longest ago.
    if (cache.size > CACHED_WINDOWS) cache.delete(cache.keys().next().value ?? key);
  };

  const read = async (since: string): Promise<{ found: CloneJob[]; truncated: boolean }> => {
    const found: CloneJob[] = [];
    const plan: { status: JobStatus; createdSince?: string }[] = [
      ...LIVE.map((status) => ({ status })),
      ...ENDED.map((status) => ({ status, createdSince: since })),
    ];
    for (const { status, createdSince } of plan) {
      let cursor: string | undefined;
      do {
        const left = maxJobs - found.length;
        if (left <= 0) return { found, truncated: true };
        const page = await jobs.listByStatus(status, {
          limit: Math.min(PAGE, left),
          ...(createdSince !== undefined && { createdSince }),
          ...(cursor !== undefined && { cursor }),
        });
        found.push(...page.jobs);
        cursor = page.cursor;
      } while (cursor);
    }
    return { found, truncated: false };
  };

  return async ({ windowMs, bucketMs }: StatsQuery, principal: Principal): Promise<JobStats> => {
    access.authorize(principal, 'list', undefined);
    const now = clock.now();
    const from = new Date(now.getTime() - windowMs);
    const key = String(windowMs);
    let reading = fresh(key, now.getTime());
    if (!reading) {
      reading = { at: now.getTime(), ...(await read(from.toISOString())) };
      keep(key, reading);
    }
    const readable = reading.found.filter((job) => access.mayRead(principal, job));
    return computeJobStats(readable, { from, to: now, bucketMs }, { truncated: reading.truncated });
  };
};
