import { cloneEventsFor } from '../../events/clone-events.js';
import type { EventPublisher } from '../../events/event-publisher.js';
import type { Clock } from '../../runtime/runtime.js';
import type { CloneJob, JobStatus } from '../model/clone-job.js';
import { type JobPatch, transition } from '../model/job-transition.js';
import type { JobRepository } from '../ports/job-repository.js';

export type JobWriterDeps = { jobs: JobRepository; events: EventPublisher; clock: Clock };

/**
 * State writes shared by the worker's use cases. `announce` publishes the events of the job's current status
 * once, after the status is stored: a failed publish leaves `announced` behind, so the next delivery re-sends
 * (events are at-least-once; consumers key on jobId + status).
 */
export const makeJobWriter = ({ jobs, events, clock }: JobWriterDeps) => {
  const update = (job: CloneJob, to: JobStatus | undefined, patch: JobPatch): Promise<CloneJob> =>
    jobs.save(transition(job, { to, patch, now: clock.now() }));

  const announce = async (job: CloneJob): Promise<CloneJob> => {
    if (job.announced === job.status) return job;
    for (const event of cloneEventsFor(job)) await events.publish(event);
    return update(job, undefined, { announced: job.status });
  };

  const finish = async (job: CloneJob, to: JobStatus, patch: JobPatch): Promise<CloneJob> =>
    announce(await update(job, to, patch));

  return { update, announce, finish };
};
