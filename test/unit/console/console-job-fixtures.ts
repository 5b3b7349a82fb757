import type { CloneJob } from '#shared/clones/model/clone-job';
import { toJobView } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import type { ConsoleJob } from '#shared/console/view/console-job';

export const T = (ms: number) => new Date(Date.parse('2026-11-25T12:00:00.000Z') + ms).toISOString();

/** A job as the API shows it, accepted at 12:00:00, with the given fields. */
export const consoleJob = (fields: Partial<CloneJob> = {}, extra: Partial<ConsoleJob> = {}): ConsoleJob => ({
  ...toJobView({
    jobId: 'job-1',
    status: 'QUEUED',
    version: 1,
    request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' }, labels: { team: 'ci' } }),
    vmName: 'instaclone-job-1',
    createdAt: T(0),
    updatedAt: T(0),
    ...fields,
  }),
  ...extra,
});

/** A job that went all the way to DESTROYED, each step 100 ms to 1 s after the last. */
export const destroyedJob = (): ConsoleJob =>
  consoleJob({
    status: 'DESTROYED',
    queuedAt: T(5),
    startedAt: T(105),
    taskStartedAt: T(155),
    taskEndedAt: T(455),
    readyAt: T(455),
    destroyedAt: T(60_455),
    vm: { moref: 'vm-7', name: 'instaclone-job-1', nics: [], ipAddress: '10.0.0.9' },
  });
