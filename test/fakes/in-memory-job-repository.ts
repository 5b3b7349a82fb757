import {
  type CallbackEvent,
  type CloneJob,
  type JobCallback,
  type JobStatus,
  needsWorker,
} from '#shared/clones/model/clone-job';
import { applyChange, type JobChange } from '#shared/clones/model/job-transition';
import { boundCallback, boundJobFields } from '#shared/clones/model/stored-text';
import type { JobPage, JobRepository, ListPageRequest } from '#shared/clones/ports/job-repository';
import { StaleTransitionError } from '#shared/errors/app-error';
import { POOL_LABEL } from '#shared/pools/model/pool';

/**
 * JobRepository in a Map: like the DynamoDB adapter, it writes a change only on the expected status and version, and
 * bounds the text it stores.
 */
export class InMemoryJobRepository implements JobRepository {
  readonly items = new Map<string, CloneJob>();

  async create(job: CloneJob): Promise<boolean> {
    if (this.items.has(job.jobId)) return false;
    this.items.set(job.jobId, structuredClone(boundJobFields(job)));
    return true;
  }

  async get(jobId: string): Promise<CloneJob | undefined> {
    const job = this.items.get(jobId);
    return job && structuredClone(job);
  }

  async listByStatus(status: JobStatus, page: ListPageRequest): Promise<JobPage> {
    const position = (j: Pick<CloneJob, 'createdAt' | 'jobId'>) => `${j.createdAt}#${j.jobId}`;
    const all = [...this.items.values()]
      .filter((j) => j.status === status)
      .filter((j) => page.createdSince === undefined || position(j) >= page.createdSince)
      .filter((j) => page.before === undefined || position(j) < position(page.before))
      .sort((a, b) => position(a).localeCompare(position(b)) * (page.newestFirst ? -1 : 1));
    const start = page.cursor ? Number(page.cursor) : 0;
    const jobs = all.slice(start, start + page.limit).map((j) => structuredClone(j));
    return { jobs, ...(start + page.limit < all.length && { cursor: String(start + page.limit) }) };
  }

  async listByPool(pool: string, page: { limit: number; cursor?: string }): Promise<JobPage> {
    const live: readonly JobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED'];
    return this.page((j) => j.request.labels?.[POOL_LABEL] === pool && live.includes(j.status), page);
  }

  async countByStatus(status: JobStatus, options: { createdSince?: string } = {}): Promise<number> {
    const since = options.createdSince ?? '';
    return [...this.items.values()].filter((j) => j.status === status && j.createdAt >= since).length;
  }

  async listUnsettled(page: { limit: number; cursor?: string }): Promise<JobPage> {
    return this.page(needsWorker, page);
  }

  /** Jobs matching `wanted` in index order (`<createdAt>#<jobId>`), paged by offset. */
  private page(wanted: (job: CloneJob) => boolean, page: { limit: number; cursor?: string }): JobPage {
    const all = [...this.items.values()]
      .filter(wanted)
      .sort((a, b) => `${a.createdAt}#${a.jobId}`.localeCompare(`${b.createdAt}#${b.jobId}`));
    const start = page.cursor ? Number(page.cursor) : 0;
    const jobs = all.slice(start, start + page.limit).map((j) => structuredClone(j));
    return { jobs, ...(start + page.limit < all.length && { cursor: String(start + page.limit) }) };
  }

  async save(change: JobChange): Promise<CloneJob> {
    const { expected } = change;
    const stored = this.items.get(change.jobId);
    if (!stored || stored.status !== expected.status || stored.version !== expected.version) {
      throw new StaleTransitionError(change.jobId, `${expected.status} v${expected.version}`);
    }
    const next = applyChange(stored, structuredClone({ ...change, patch: boundJobFields(change.patch) }));
    this.items.set(change.jobId, next);
    return structuredClone(next);
  }

  async recordCallback(jobId: string, event: CallbackEvent, callback: JobCallback): Promise<void> {
    const stored = this.items.get(jobId);
    if (!stored) return;
    stored.callbacks = { ...stored.callbacks, [event]: structuredClone(boundCallback(callback)) };
  }
}
