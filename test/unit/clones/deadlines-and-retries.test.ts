import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '#shared/access/model/principal';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import type { CloneJob } from '#shared/clones/model/clone-job';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { type CloneRequestInput, CloneRequestSchema } from '#shared/clones/model/clone-request';
import { transition } from '#shared/clones/model/job-transition';
import { RETRY_POLICY } from '#shared/clones/model/retry-policy';
import { STORED_TEXT_LIMITS } from '#shared/clones/model/stored-text';
import { makeEndDeadLettered } from '#shared/clones/use-cases/end-dead-lettered';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { RetryScheduledError, VcenterFaultError, VcenterUnavailableError } from '#shared/errors/app-error';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const setup = async (body: Partial<CloneRequestInput> = {}) => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const clock = fixedClock();
  const sent: CloneMessageInput[] = [];
  const queue = { enqueue: async (m: CloneMessageInput) => void sent.push(m) };
  const submit = makeSubmitClone({
    jobs,
    queue,
    clock,
    ids: { jobId: () => 'job-0003-cccc' },
    access: internalAccess('test'),
    macs: inMemoryJobMacs(jobs, clock).macs,
  });
  const [job] = await submit(
    CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' }, ...body }),
    tokenPrincipal('t'),
  );
  const jobId = (job as CloneJob).jobId;
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota: new RecordingQuotaRelease() });
  const deliver = (action: 'clone' | 'destroy' = 'clone') =>
    handle({ version: '1', jobId, action }, { deadline: clock.now().getTime() + 60_000 });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const stored = async () => (await jobs.get(jobId)) as CloneJob;
  return {
    jobs,
    cloner,
    events,
    clock,
    jobId,
    deliver,
    requestDestroy,
    stored,
    sent,
    quota: new RecordingQuotaRelease(),
  };
};

/** Delivers until the job ends, waiting out each scheduled retry on the fake clock; counts the deliveries. */
const deliverUntilSettled = async (world: Awaited<ReturnType<typeof setup>>) => {
  for (let deliveries = 1; deliveries < 100; deliveries++) {
    try {
      return { job: await world.deliver(), deliveries };
    } catch (err) {
      if (!(err instanceof RetryScheduledError)) throw err;
      world.clock.advance(err.afterSeconds * 1000);
    }
  }
  throw new Error('the job never settled');
};

describe('Use cases: every job ends, on time, and says why', () => {
  it('gives every job a deadline from its request: 15 minutes by default', async () => {
    // Act
    const { stored } = await setup();
    const { stored: storedShort } = await setup({ timeoutMinutes: 2 });
    // Assess
    expect((await stored()).deadlineAt).toBe('2026-11-25T12:15:00.000Z');
    expect((await storedShort()).deadlineAt).toBe('2026-11-25T12:02:00.000Z');
  });

  it('ends a job still queued at its deadline FAILED with DEADLINE_EXCEEDED, without calling vCenter', async () => {
    // Prepare
    const world = await setup({ timeoutMinutes: 1 });
    world.clock.advance(61_000);
    // Act
    const job = await world.deliver();
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'DEADLINE_EXCEEDED', retryable: false } });
    expect(job?.error?.message).toContain('it was still queued');
    expect(job?.cleanupPending).toBeUndefined();
    expect(world.cloner.calls).toEqual([]);
    expect(world.events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
  });

  it('retries an unreachable vCenter with growing waits, then ends RETRIES_EXHAUSTED with the last error', async () => {
    // Prepare
    const world = await setup();
    world.cloner.startError = new VcenterUnavailableError('vCenter unreachable: connect ECONNREFUSED 127.0.0.1:9');
    const seen: Array<{ attempts?: number; nextAttemptAt?: string }> = [];
    // Act
    let job: CloneJob | undefined;
    for (let delivery = 1; delivery <= RETRY_POLICY.maxAttempts; delivery++) {
      try {
        job = await world.deliver();
      } catch (err) {
        expect(err).toBeInstanceOf(RetryScheduledError);
        const { attempts, nextAttemptAt } = await world.stored();
        seen.push({ ...(attempts !== undefined && { attempts }), ...(nextAttemptAt && { nextAttemptAt }) });
        world.clock.advance((err as RetryScheduledError).afterSeconds * 1000);
      }
    }
    // Assess
    expect(seen.map((s) => s.attempts)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.every((s) => s.nextAttemptAt)).toBe(true);
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: RETRY_POLICY.maxAttempts,
      error: { code: 'RETRIES_EXHAUSTED', cause: { code: 'VCENTER_UNAVAILABLE' } },
      lastError: { code: 'VCENTER_UNAVAILABLE', message: 'vCenter unreachable: connect ECONNREFUSED 127.0.0.1:9' },
    });
    expect(job?.nextAttemptAt).toBeUndefined();
    expect(world.events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
    expect(world.clock.now().getTime() - Date.parse('2026-11-25T12:00:00.000Z')).toBeLessThan(240_000);
  });

  it('hands an early delivery back until its retry is due, without starting an attempt', async () => {
    // Prepare
    const world = await setup();
    world.cloner.startError = new VcenterUnavailableError('connection reset');
    await expect(world.deliver()).rejects.toBeInstanceOf(RetryScheduledError);
    world.cloner.startError = undefined;
    // Act
    const early = world.deliver();
    // Assess
    await expect(early).rejects.toMatchObject({ code: 'RETRY_SCHEDULED', afterSeconds: 2 });
    expect((await world.stored()).attempts).toBe(1);
    world.clock.advance(2_000);
    expect(await world.deliver()).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('ends a waitFor ip job whose guest never re-identifies at its deadline, and destroys its clone', async () => {
    // Prepare
    const world = await setup({ waitFor: 'ip', timeoutMinutes: 1 });
    // Act
    const { job } = await deliverUntilSettled(world);
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(job?.error?.message).toContain('its guest had not reported a new IP address');
    expect(job?.cleanupPending).toBeUndefined();
    expect(world.cloner.vms.size).toBe(0);
    expect(world.cloner.calls).toContain('destroyClone vm-100');
    expect(world.events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
  });

  it('destroys the clone of a job whose deadline passed while its task ran', async () => {
    // Prepare
    const world = await setup({ timeoutMinutes: 1 });
    world.cloner.outcome = () => ({ state: 'running' });
    await expect(world.deliver()).rejects.toMatchObject({ code: 'TASK_STILL_RUNNING' });
    world.cloner.outcome = undefined;
    world.clock.advance(60_000);
    // Act
    const job = await world.deliver();
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'DEADLINE_EXCEEDED' }, task: { moref: 'task-1' } });
    expect(job?.error?.message).toContain('its clone task task-1 was still running');
    expect(job?.cleanupPending).toBeUndefined();
    expect(world.cloner.vms.size).toBe(0);
  });

  it('keeps a failed job marked for clean-up while vCenter is down, retrying it in a minute', async () => {
    // Prepare
    const world = await setup({ timeoutMinutes: 1 });
    world.cloner.outcome = () => ({ state: 'running' });
    await expect(world.deliver()).rejects.toMatchObject({ code: 'TASK_STILL_RUNNING' });
    world.cloner.outcome = () => {
      throw new VcenterUnavailableError('vCenter unreachable');
    };
    world.clock.advance(60_000);
    // Act
    const attempt = world.deliver();
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'RETRY_SCHEDULED', afterSeconds: 60 });
    expect(await world.stored()).toMatchObject({ status: 'FAILED', cleanupPending: true });
  });

  it('stores a 1 MiB vCenter fault as a readable, truncated message and ends the job FAILED', async () => {
    // Prepare
    const world = await setup();
    const huge = `A specified parameter was not correct: ${'spec.'.repeat(210_000)}`;
    world.cloner.outcome = () => ({
      state: 'failed',
      error: new VcenterFaultError('InvalidArgument', huge, 'terminal'),
    });
    // Act
    const job = await world.deliver();
    // Assess
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'VCENTER_FAULT', fault: 'InvalidArgument' } });
    expect(Buffer.byteLength(job?.error?.message ?? '')).toBe(STORED_TEXT_LIMITS.messageBytes);
    expect(job?.error?.message).toMatch(/^A specified parameter was not correct: spec\./);
    expect(job?.error?.message).toMatch(/\[truncated: 1050039 characters in all\]$/);
  });

  it('destroys the clone of a RUNNING job within the next delivery of a DELETE and ends it DESTROYED', async () => {
    // Prepare: the clone task outlived the first delivery.
    const world = await setup();
    world.cloner.outcome = () => ({ state: 'running' });
    await expect(world.deliver()).rejects.toMatchObject({ code: 'TASK_STILL_RUNNING' });
    world.cloner.outcome = undefined;
    // Act
    const marked = await world.requestDestroy(world.jobId);
    const job = await world.deliver();
    // Assess
    expect(marked).toMatchObject({ status: 'RUNNING', destroyRequested: true });
    expect(world.sent.at(-1)).toEqual({ version: '1', jobId: world.jobId, action: 'clone' });
    expect(job).toMatchObject({ status: 'DESTROYED' });
    expect(world.cloner.vms.size).toBe(0);
    expect(world.events.events.map((e) => e.detailType)).toEqual(['Clone Destroyed']);
  });

  it('destroys a clone whose task a DELETE overtook while InstantClone_Task was being answered', async () => {
    // Prepare
    const world = await setup();
    world.cloner.whileStarting = async () => {
      world.cloner.whileStarting = undefined;
      await world.requestDestroy(world.jobId);
    };
    // Act
    const job = await world.deliver();
    // Assess
    expect(job).toMatchObject({ status: 'DESTROYED', task: { moref: 'task-1' } });
    expect(world.cloner.calls.filter((c) => c.startsWith('startClone'))).toHaveLength(1);
    expect(world.cloner.vms.size).toBe(0);
  });
});

describe('Use case: endDeadLettered', () => {
  it('ends the job of a dead-lettered clone message FAILED with RETRIES_EXHAUSTED and its last error', async () => {
    // Prepare
    const world = await setup();
    world.cloner.outcome = () => ({ state: 'running' });
    await expect(world.deliver()).rejects.toMatchObject({ code: 'TASK_STILL_RUNNING' });
    const job = await world.stored();
    await world.jobs.save(
      transition(job, {
        patch: { lastError: { code: 'INTERNAL', message: 'Task timed out after 300.00 seconds', at: job.updatedAt } },
        now: world.clock.now(),
      }),
    );
    const end = makeEndDeadLettered({ ...world, queue: { enqueue: async (m) => void world.sent.push(m) } });
    // Act
    const ended = await end({ version: '1', jobId: world.jobId, action: 'clone' });
    // Assess
    expect(ended).toMatchObject({
      status: 'FAILED',
      cleanupPending: true,
      error: { code: 'RETRIES_EXHAUSTED', cause: { code: 'INTERNAL', message: 'Task timed out after 300.00 seconds' } },
    });
    expect(ended?.error?.message).toContain('dead-letter queue');
    expect(world.events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
    expect(world.sent.at(-1)).toEqual({ version: '1', jobId: world.jobId, action: 'clone' });
  });
});
