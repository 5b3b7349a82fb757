import type { Principal } from '../../access/model/principal.js';
import type { Clock, IdGenerator } from '../../runtime/runtime.js';
import { type CloneJob, vmNameFor } from '../model/clone-job.js';
import type { CloneRequest } from '../model/clone-request.js';
import { assertRequestFits } from '../model/request-limits.js';
import { deadlineFor } from '../model/retry-policy.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { SubmitClone, SubmitCloneAs } from '../ports/clone-commands.js';
import type { CloneQueue } from '../ports/clone-queue.js';
import type { JobRepository } from '../ports/job-repository.js';

export type SubmitCloneDeps = {
  jobs: JobRepository;
  queue: CloneQueue;
  clock: Clock;
  ids: IdGenerator;
  access: Pick<CloneAccess, 'admitClone' | 'abandon'>;
};

/**
 * Admits the request for `principal` (policy, integration namespaces, quota: a refusal stores and queues nothing),
 * then records one QUEUED job per requested clone (`count`), with `requestedBy` and the grant, and enqueues each id.
 * A row is written before its message so a worker never receives an id it cannot load; if an enqueue fails the job
 * stays QUEUED and the reconciler re-drives it; if a row cannot be written, the quota of the jobs not written is given
 * back. Every job's deadline (`deadlineAt`) counts from now. Resolves with the jobs in order.
 *
 * `jobIds` (one per clone) makes it repeatable: a job whose id exists already (an earlier attempt of the same
 * submission made it) is returned as stored and not enqueued again; only the missing ones are made (the quota ledger
 * counts an id once, however often it is admitted). Without them, fresh ids are drawn. Rejects with
 * PayloadTooLargeError, before any write, when the request is over its budget.
 */
export const makeSubmitClone =
  ({ jobs, queue, clock, ids, access }: SubmitCloneDeps): SubmitClone =>
  async (request: CloneRequest, principal: Principal, jobIds?: readonly string[]): Promise<CloneJob[]> => {
    assertRequestFits(request);
    const wanted = jobIds ?? Array.from({ length: request.count }, () => ids.jobId());
    const grant = await access.admitClone(principal, request, wanted);
    const at = clock.now();
    const now = at.toISOString();
    const deadlineAt = deadlineFor(request, at);
    const result: CloneJob[] = [];
    const created: CloneJob[] = [];
    for (const [index, jobId] of wanted.entries()) {
      const job: CloneJob = {
        jobId,
        status: 'QUEUED',
        version: 1,
        request,
        requestedBy: principal,
        grant,
        vmName: vmNameFor(jobId, request),
        deadlineAt,
        createdAt: now,
        updatedAt: now,
      };
      let fresh: boolean;
      try {
        fresh = await jobs.create(job);
      } catch (err) {
        await access.abandon(grant, wanted.slice(index)).catch(() => undefined);
        throw err;
      }
      if (fresh) created.push(job);
      result.push(fresh ? job : ((await jobs.get(jobId)) ?? job));
    }
    await Promise.all(created.map((job) => queue.enqueue({ version: '1', jobId: job.jobId })));
    return result;
  };

/** One clone under the caller's job id (`request.count` is ignored: one id, one job); see SubmitCloneAs. */
export const makeSubmitCloneAs =
  (deps: Omit<SubmitCloneDeps, 'ids'>): SubmitCloneAs =>
  async (jobId, request, principal) => {
    const submit = makeSubmitClone({ ...deps, ids: { jobId: () => jobId } });
    const [job] = await submit({ ...request, count: 1 }, principal, [jobId]);
    return job as CloneJob;
  };
