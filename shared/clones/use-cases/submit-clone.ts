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
import type { JobMacs } from './job-macs.js';

export type SubmitCloneDeps = {
  jobs: JobRepository;
  queue: CloneQueue;
  clock: Clock;
  ids: IdGenerator;
  access: Pick<CloneAccess, 'admitClone' | 'abandon'>;
  macs: Pick<JobMacs, 'claim' | 'abandon'>;
};

type Macs = SubmitCloneDeps['macs'];

/**
 * Admits the request for `principal` (policy, integration namespaces, quota: a refusal stores and queues nothing),
 * then records one QUEUED job per requested clone (`count`), with `requestedBy`, the grant and the MACs it asks for,
 * and enqueues each id. The MACs of all the jobs are claimed first, all or none: a refused MAC (MacInUseError,
 * MacRangeExhaustedError, ValidationError for an unknown range) stores nothing, leaves nothing claimed and gives the
 * quota back; a row that cannot be written gives back the MACs and the quota of the unwritten jobs. A row is written
 * before its message so a worker never receives an id it cannot load; if an enqueue fails the job stays QUEUED and the
 * reconciler re-drives it. Every job's deadline (`deadlineAt`) counts from now. Resolves with the jobs in order.
 *
 * `jobIds` (one per clone) makes it repeatable: a job whose id exists already (an earlier attempt of the same
 * submission made it) is returned as stored and not enqueued again; only the missing ones are made (the quota ledger
 * counts an id once, however often it is admitted). Without them, fresh ids are drawn. Rejects with
 * PayloadTooLargeError, before any write, when the request is over its budget.
 */
export const makeSubmitClone =
  ({ jobs, queue, clock, ids, access, macs }: SubmitCloneDeps): SubmitClone =>
  async (request: CloneRequest, principal: Principal, jobIds?: readonly string[]): Promise<CloneJob[]> => {
    assertRequestFits(request);
    const wanted = jobIds ?? Array.from({ length: request.count }, () => ids.jobId());
    const grant = await access.admitClone(principal, request, wanted);
    const at = clock.now();
    const now = at.toISOString();
    const deadlineAt = deadlineFor(request, at);
    const found = new Map<string, CloneJob>();
    // Only a repeated submission (given ids) can find its jobs made already: they keep the MACs they hold, so a
    // request that asks for MACs looks first (one that asks for none learns it from the conditional create).
    const asksMacs = (request.nics ?? []).some((nic) => nic.mac !== undefined && nic.mac !== 'auto');
    for (const job of jobIds && asksMacs ? await Promise.all(jobIds.map((jobId) => jobs.get(jobId))) : [])
      if (job) found.set(job.jobId, job);
    const drafts = wanted
      .filter((jobId) => !found.has(jobId))
      .map(
        (jobId): CloneJob => ({
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
        }),
      );
    const unwritten = (rest: CloneJob[]) =>
      access
        .abandon(
          grant,
          rest.map((job) => job.jobId),
        )
        .catch(() => undefined);
    const claimed = await withMacs(macs, drafts).catch(async (err: unknown) => {
      await unwritten(drafts);
      throw err;
    });
    const created: CloneJob[] = [];
    for (const [index, job] of claimed.entries()) {
      const fresh = await jobs.create(job).catch(async (err: unknown) => {
        await Promise.all([abandon(macs, claimed.slice(index)), unwritten(claimed.slice(index))]);
        throw err;
      });
      if (fresh) created.push(job);
      else found.set(job.jobId, await adoptRaced(jobs, macs, job));
    }
    await Promise.all(created.map((job) => queue.enqueue({ version: '1', jobId: job.jobId })));
    const made = new Map(created.map((job) => [job.jobId, job]));
    return wanted.flatMap((jobId) => found.get(jobId) ?? made.get(jobId) ?? []);
  };

/** One clone under the caller's job id (`request.count` is ignored: one id, one job); see SubmitCloneAs. */
export const makeSubmitCloneAs =
  (deps: Omit<SubmitCloneDeps, 'ids'>): SubmitCloneAs =>
  async (jobId, request, principal) => {
    const submit = makeSubmitClone({ ...deps, ids: { jobId: () => jobId } });
    const [job] = await submit({ ...request, count: 1 }, principal, [jobId]);
    return job as CloneJob;
  };

/** The jobs with the MACs each asks for (`macs`), all or none: a refusal gives back what the others got. */
const withMacs = async (macs: Macs, drafts: CloneJob[]): Promise<CloneJob[]> => {
  const done: CloneJob[] = [];
  for (const job of drafts) {
    try {
      const claimed = await macs.claim(job);
      done.push(claimed.length > 0 ? { ...job, macs: claimed } : job);
    } catch (err) {
      await abandon(macs, done);
      throw err;
    }
  }
  return done;
};

/** Best effort: a MAC left claimed for a job that was never written is taken over after a grace period anyway. */
const abandon = (macs: Macs, unwritten: CloneJob[]) =>
  Promise.all(unwritten.map((job) => macs.abandon(job.jobId, job.macs ?? []))).catch(() => undefined);

/**
 * A concurrent duplicate of the submission wrote the job first: it is the job, with the MACs it claimed; what this
 * attempt claimed besides (another MAC of a range) is given back.
 */
const adoptRaced = async (jobs: Pick<JobRepository, 'get'>, macs: Macs, job: CloneJob): Promise<CloneJob> => {
  const stored = (await jobs.get(job.jobId)) ?? job;
  const theirs = new Set((stored.macs ?? []).map((m) => m.mac));
  await abandon(macs, [{ ...job, macs: (job.macs ?? []).filter((m) => !theirs.has(m.mac)) }]);
  return stored;
};
