import type { CallbackEvent, CloneJob, JobCallback, JobStatus } from '#shared/clones/model/clone-job';
import { canTransition } from '#shared/clones/model/clone-job';
import type { JobPage, JobPatch, JobRepository } from '#shared/clones/ports/job-repository';
import { StaleTransitionError } from '#shared/errors/app-error';

/** JobRepository in a Map, with the same conditional-update rules as the DynamoDB adapter. */
export class InMemoryJobRepository implements JobRepository {
  readonly items = new Map<string, CloneJob>();

  async create(job: CloneJob): Promise<void> {
    if (this.items.has(job.jobId)) throw new Error(`Job ${job.jobId} exists`);
    this.items.set(job.jobId, structuredClone(job));
  }

  async get(jobId: string): Promise<CloneJob | undefined> {
    const job = this.items.get(jobId);
    return job && structuredClone(job);
  }

  async listByStatus(status: JobStatus, page: { limit: number; cursor?: string }): Promise<JobPage> {
    const all = [...this.items.values()]
      .filter((j) => j.status === status)
      .sort((a, b) => `${a.createdAt}#${a.jobId}`.localeCompare(`${b.createdAt}#${b.jobId}`));
    const start = page.cursor ? Number(page.cursor) : 0;
    const jobs = all.slice(start, start + page.limit).map((j) => structuredClone(j));
    return { jobs, ...(start + page.limit < all.length && { cursor: String(start + page.limit) }) };
  }

  async listUnsettled(page: { limit: number; cursor?: string }): Promise<JobPage> {
    const all = [...this.items.values()].filter(
      (j) => ['QUEUED', 'RUNNING', 'DESTROYING'].includes(j.status) || j.announced !== j.status,
    );
    const start = page.cursor ? Number(page.cursor) : 0;
    const jobs = all.slice(start, start + page.limit).map((j) => structuredClone(j));
    return { jobs, ...(start + page.limit < all.length && { cursor: String(start + page.limit) }) };
  }

  async update(
    job: Pick<CloneJob, 'jobId' | 'status' | 'version'>,
    change: { to?: JobStatus; patch?: JobPatch; now: Date },
  ): Promise<CloneJob> {
    const stored = this.items.get(job.jobId);
    if (!stored || stored.status !== job.status || stored.version !== job.version) {
      throw new StaleTransitionError(job.jobId, job.status);
    }
    if (change.to && !canTransition(stored.status, change.to))
      throw new Error(`Illegal ${stored.status} -> ${change.to}`);
    const next: CloneJob = {
      ...stored,
      ...change.patch,
      version: stored.version + 1,
      updatedAt: change.now.toISOString(),
    };
    for (const [k, v] of Object.entries(change.patch ?? {})) if (v === undefined) delete next[k as keyof JobPatch];
    if (change.to) next.status = change.to;
    this.items.set(job.jobId, next);
    return structuredClone(next);
  }

  async recordCallback(jobId: string, event: CallbackEvent, callback: JobCallback): Promise<void> {
    const stored = this.items.get(jobId);
    if (!stored) return;
    stored.callbacks = { ...stored.callbacks, [event]: structuredClone(callback) };
  }
}
