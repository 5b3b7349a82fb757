import { cloneEventsFor } from '../../events/clone-events.js';
import type { EventPublisher } from '../../events/event-publisher.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CloneJob, JobStatus } from '../model/clone-job.js';
import { type JobPatch, transition } from '../model/job-transition.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { QuotaRelease } from '../ports/quota-release.js';
import type { JobMacs } from './job-macs.js';

export type JobWriterDeps = {
  jobs: JobRepository;
  events: EventPublisher;
  clock: Clock;
  quota: QuotaRelease;
  /** Frees the MACs of a job that no longer holds them; without it they are taken over by the next claim. */
  macs?: Pick<JobMacs, 'release'>;
};

/**
 * State writes shared by the worker's use cases. `announce` gives back the quota and frees the MACs the job's status
 * no longer holds, then publishes the events of that status once, after the status is stored: a failed release or
 * publish leaves `announced` behind, so the next delivery does all of it again (each is idempotent; events are
 * at-least-once and consumers key on jobId + status).
 */
export const makeJobWriter = ({ jobs, events, clock, quota, macs }: JobWriterDeps) => {
  const update = (job: CloneJob, to: JobStatus | undefined, patch: JobPatch): Promise<CloneJob> =>
    jobs.save(transition(job, { to, patch, now: clock.now() }));

  const announce = async (job: CloneJob): Promise<CloneJob> => {
    if (job.announced === job.status) return job;
    await quota.settle(job);
    await macs?.release(job);
    for (const event of cloneEventsFor(job)) await events.publish(event);
    return update(job, undefined, { announced: job.status });
  };

  const finish = async (job: CloneJob, to: JobStatus, patch: JobPatch): Promise<CloneJob> =>
    announce(await update(job, to, patch));

  return { update, announce, finish };
};
