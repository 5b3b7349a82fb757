import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { VcenterFaultError } from '#shared/errors/app-error';
import type { Clock } from '#shared/runtime/runtime';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0003-cccc';
const acceptedAt = '2026-11-25T12:00:00.000Z';
const sentAt = '2026-11-25T12:00:00.005Z';

/** A clock that moves 10 ms every time it is read, so each recorded moment is distinct and ordered. */
const tickingClock = (): Clock => {
  let now = Date.parse(acceptedAt) + 1000;
  return {
    now: () => {
      now += 10;
      return new Date(now);
    },
    sleep: async (ms) => {
      now += ms;
    },
  };
};

const setup = async (waitFor: 'task' | 'ip' = 'task') => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const clock = tickingClock();
  const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' }, waitFor });
  const job: CloneJob = {
    jobId,
    status: 'QUEUED',
    version: 1,
    request,
    vmName: `instaclone-${jobId}`,
    createdAt: acceptedAt,
    updatedAt: acceptedAt,
  };
  await jobs.create(job);
  const queue = { enqueue: async () => undefined };
  const events = new RecordingEventPublisher();
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota: new RecordingQuotaRelease() });
  const context = { deadline: Date.now() + 60_000, sentAt };
  return { jobs, cloner, handle, context, requestDestroy: makeRequestDestroy({ jobs, queue, clock }) };
};

const moments = (job: CloneJob | undefined) =>
  [job?.createdAt, job?.queuedAt, job?.startedAt, job?.taskStartedAt, job?.taskEndedAt, job?.readyAt].map((t) =>
    t === undefined ? undefined : Date.parse(t),
  );

describe('Use cases: the moments of a job, for its timeline', () => {
  it('records when the job was queued, taken by a worker, when its task started and ended, and when it was ready', async () => {
    // Prepare
    const { handle, context } = await setup();
    // Act
    const job = await handle({ version: '1', jobId, action: 'clone' }, context);
    // Assess
    const [accepted, queued, started, taskStarted, taskEnded, ready] = moments(job);
    expect(job?.queuedAt).toBe(sentAt);
    expect([accepted, queued, started, taskStarted, taskEnded].every((t) => t !== undefined)).toBe(true);
    expect(accepted! <= queued! && queued! < started! && started! < taskStarted! && taskStarted! < taskEnded!).toBe(
      true,
    );
    expect(ready).toBeGreaterThanOrEqual(taskEnded!);
  });

  it('ends the task before the guest reports its IP when the job waits for one', async () => {
    // Prepare
    const { handle, context, cloner } = await setup('ip');
    cloner.outcome = (plan) => {
      const vm = cloner.createVm(plan);
      cloner.reidentify(vm.moref, '10.0.0.77');
      return { state: 'succeeded', vm };
    };
    // Act
    const job = await handle({ version: '1', jobId, action: 'clone' }, context);
    // Assess
    const [, , , taskStarted, taskEnded, ready] = moments(job);
    expect(job?.status).toBe('SUCCEEDED');
    expect(taskStarted! < taskEnded! && taskEnded! < ready!).toBe(true);
  });

  it('records when a failed task ended', async () => {
    // Prepare
    const { handle, context, cloner } = await setup();
    cloner.outcome = () => ({
      state: 'failed',
      error: new VcenterFaultError('InvalidPowerState', 'the source is off', 'terminal'),
    });
    // Act
    const job = await handle({ version: '1', jobId, action: 'clone' }, context);
    // Assess
    expect(job?.status).toBe('FAILED');
    expect(Date.parse(job?.taskEndedAt ?? '')).toBeGreaterThan(Date.parse(job?.taskStartedAt ?? ''));
  });

  it('records when the clone was destroyed', async () => {
    // Prepare
    const { handle, context, requestDestroy } = await setup();
    const ready = await handle({ version: '1', jobId, action: 'clone' }, context);
    await requestDestroy(jobId);
    // Act
    const job = await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    expect(job?.status).toBe('DESTROYED');
    expect(Date.parse(job?.destroyedAt ?? '')).toBeGreaterThan(Date.parse(ready?.readyAt ?? ''));
  });
});
