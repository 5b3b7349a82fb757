import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { clonePlanFor } from '#shared/clones/use-cases/clone-plan';
import { DESTROY_RETRY_SECONDS } from '#shared/clones/use-cases/execute-destroy';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { JobNotFoundError, RetryScheduledError, VcenterUnavailableError } from '#shared/errors/app-error';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0002-bbbb';
const context = { deadline: Date.now() + 60_000 };

const setup = async () => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const sent: CloneMessageInput[] = [];
  const queue = { enqueue: async (m: CloneMessageInput) => void sent.push(m) };
  const clock = fixedClock();
  const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' } });
  const now = clock.now().toISOString();
  const job: CloneJob = {
    jobId,
    status: 'QUEUED',
    version: 1,
    request,
    vmName: `instaclone-${jobId}`,
    createdAt: now,
    updatedAt: now,
  };
  await jobs.create(job);
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota: new RecordingQuotaRelease() });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  return { jobs, cloner, events, sent, handle, requestDestroy };
};

describe('Use cases: destroying a clone', () => {
  it('moves a SUCCEEDED job to DESTROYING and queues a destroy message', async () => {
    // Prepare
    const { handle, requestDestroy, sent } = await setup();
    await handle({ version: '1', jobId, action: 'clone' }, context);
    // Act
    const job = await requestDestroy(jobId);
    // Assess
    expect(job.status).toBe('DESTROYING');
    expect(sent).toEqual([{ version: '1', jobId, action: 'destroy' }]);
  });

  it('destroys the VM, records DESTROYED and announces Clone Destroyed', async () => {
    // Prepare
    const { handle, requestDestroy, cloner, events } = await setup();
    await handle({ version: '1', jobId, action: 'clone' }, context);
    await requestDestroy(jobId);
    // Act
    const job = await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    expect(job?.status).toBe('DESTROYED');
    expect(cloner.vms.size).toBe(0);
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Succeeded', 'Clone Destroyed']);
  });

  it('tries a destroy that vCenter failed again within seconds, and ends DESTROYED once vCenter is back', async () => {
    // Prepare: vCenter goes away between the clone and the destroy
    const { handle, requestDestroy, cloner, jobs } = await setup();
    await handle({ version: '1', jobId, action: 'clone' }, context);
    await requestDestroy(jobId);
    cloner.destroyError = new VcenterUnavailableError('vCenter unreachable: connect ECONNREFUSED');
    // Act
    const failed = handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    await expect(failed).rejects.toMatchObject({ code: 'RETRY_SCHEDULED', afterSeconds: DESTROY_RETRY_SECONDS });
    await expect(failed).rejects.toBeInstanceOf(RetryScheduledError);
    expect((await jobs.get(jobId))?.status).toBe('DESTROYING');
    cloner.destroyError = undefined;
    expect((await handle({ version: '1', jobId, action: 'destroy' }, context))?.status).toBe('DESTROYED');
  });

  it('is harmless when repeated: a second DELETE and a second destroy message change nothing', async () => {
    // Prepare
    const { handle, requestDestroy, cloner, events } = await setup();
    await handle({ version: '1', jobId, action: 'clone' }, context);
    await requestDestroy(jobId);
    await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Act
    const again = await requestDestroy(jobId);
    await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    expect(again.status).toBe('DESTROYED');
    expect(cloner.calls.filter((c) => c.startsWith('destroyClone'))).toHaveLength(1);
    expect(events.events.filter((e) => e.detailType === 'Clone Destroyed')).toHaveLength(1);
  });

  it('counts a VM that is already gone as destroyed', async () => {
    // Prepare
    const { handle, requestDestroy, cloner } = await setup();
    const done = await handle({ version: '1', jobId, action: 'clone' }, context);
    cloner.vms.delete(done?.vm?.moref ?? '');
    await requestDestroy(jobId);
    // Act
    const job = await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    expect(job?.status).toBe('DESTROYED');
  });

  it('never touches a VM that does not carry the job id', async () => {
    // Prepare
    const { handle, requestDestroy, cloner, jobs } = await setup();
    const done = await handle({ version: '1', jobId, action: 'clone' }, context);
    const moref = done?.vm?.moref ?? '';
    cloner.vms.set(moref, { moref, name: 'someone-else', nics: [], extraConfig: { 'instaclone.jobId': 'other' } });
    await requestDestroy(jobId);
    // Act
    const job = await handle({ version: '1', jobId, action: 'destroy' }, context);
    // Assess
    expect(job?.status).toBe('DESTROYED');
    expect(cloner.vms.has(moref)).toBe(true);
    expect((await jobs.get(jobId))?.status).toBe('DESTROYED');
  });

  it('ends a job DESTROYED at once, without cloning, when DELETE comes while it is queued', async () => {
    // Prepare
    const { handle, requestDestroy, cloner, events } = await setup();
    // Act
    const deleted = await requestDestroy(jobId);
    const job = await handle({ version: '1', jobId, action: 'clone' }, context);
    // Assess
    expect(deleted.status).toBe('DESTROYED');
    expect(job?.status).toBe('DESTROYED');
    expect(cloner.calls).toEqual([]);
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Destroyed']);
  });

  it('rejects a DELETE of a job that does not exist', async () => {
    // Prepare
    const { requestDestroy } = await setup();
    // Act
    const attempt = requestDestroy('no-such-job');
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('keeps the plan pure: the same job always asks for the same VM', async () => {
    // Prepare
    const { jobs } = await setup();
    const job = (await jobs.get(jobId)) as CloneJob;
    // Act
    const [a, b] = [clonePlanFor(job), clonePlanFor(structuredClone(job))];
    // Assess
    expect(a).toEqual(b);
  });
});
