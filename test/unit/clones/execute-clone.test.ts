import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { transition } from '#shared/clones/model/job-transition';
import { clonePlanFor, JOB_ID_EXTRA_CONFIG_KEY, makeExecuteClone } from '#shared/clones/use-cases/execute-clone';
import { TaskStillRunningError, VcenterFaultError, VcenterUnavailableError } from '#shared/errors/app-error';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0001-aaaa';
const message = { version: '1', jobId, action: 'clone' } as const;
const context = { deadline: Date.now() + 60_000 };

const setup = async (status: CloneJob['status'] = 'QUEUED', extra: Partial<CloneJob> = {}) => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/src' }, guestinfo: { 'ci.job': '42' } });
  await jobs.create({
    jobId,
    status,
    version: 1,
    request,
    vmName: `instaclone-${jobId}`,
    createdAt: '2026-11-25T12:00:00.000Z',
    updatedAt: '2026-11-25T12:00:00.000Z',
    ...extra,
  });
  const quota = new RecordingQuotaRelease();
  const execute = makeExecuteClone({ jobs, cloner, events, clock: fixedClock(), quota });
  return { jobs, cloner, events, execute, quota };
};

describe('Use case: executeClone', () => {
  it('clones a queued job, records SUCCEEDED with the VM and announces Clone Succeeded', async () => {
    // Prepare
    const { jobs, cloner, events, execute, quota } = await setup();
    // Act
    const job = await execute(message, context);
    // Assess
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      vm: { moref: 'vm-100' },
      task: { moref: 'task-1' },
      announced: 'SUCCEEDED',
    });
    expect(cloner.calls).toEqual([`startClone instaclone-${jobId}`, 'waitForClone task-1']);
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Succeeded']);
    expect(quota.settled).toEqual([{ jobId, status: 'SUCCEEDED' }]);
    expect((await jobs.get(jobId))?.status).toBe('SUCCEEDED');
  });

  it('marks every clone with its job id and prefixes guestinfo keys', async () => {
    // Prepare
    const { jobs } = await setup();
    const job = (await jobs.get(jobId)) as CloneJob;
    // Act
    const plan = clonePlanFor(job);
    // Assess
    expect(plan.extraConfig).toEqual({ 'guestinfo.ci.job': '42', [JOB_ID_EXTRA_CONFIG_KEY]: jobId });
  });

  it('resumes waiting on the recorded task instead of cloning again', async () => {
    // Prepare
    const { cloner, execute } = await setup();
    cloner.outcome = () => ({ state: 'running' });
    await expect(execute(message, context)).rejects.toBeInstanceOf(TaskStillRunningError);
    cloner.outcome = undefined;
    // Act
    const job = await execute(message, context);
    // Assess
    expect(job?.status).toBe('SUCCEEDED');
    expect(cloner.calls.filter((c) => c.startsWith('startClone'))).toHaveLength(1);
  });

  it('adopts the VM an earlier attempt made when the job is RUNNING without a task', async () => {
    // Prepare
    const { cloner, execute, jobs } = await setup('RUNNING');
    const job = (await jobs.get(jobId)) as CloneJob;
    cloner.createVm(clonePlanFor(job));
    // Act
    const done = await execute(message, context);
    // Assess
    expect(done).toMatchObject({ status: 'SUCCEEDED', vm: { moref: 'vm-100' } });
    expect(cloner.calls.some((c) => c.startsWith('startClone'))).toBe(false);
  });

  it('fails with DuplicateName and never adopts a foreign VM of the same name', async () => {
    // Prepare
    const { cloner, execute, jobs, events } = await setup('RUNNING');
    const job = (await jobs.get(jobId)) as CloneJob;
    cloner.createVm(clonePlanFor(job), { [JOB_ID_EXTRA_CONFIG_KEY]: 'someone-else' });
    // Act
    const done = await execute(message, context);
    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: { fault: 'DuplicateName', retryable: false } });
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Failed']);
  });

  it('records FAILED with the fault type when vCenter answers a terminal fault', async () => {
    // Prepare
    const { cloner, execute } = await setup();
    cloner.outcome = () => ({
      state: 'failed',
      error: new VcenterFaultError(
        'InvalidPowerState',
        'The attempted operation cannot be performed in the current state (Powered off).',
        'terminal',
      ),
    });
    // Act
    const job = await execute(message, context);
    // Assess
    expect(job).toMatchObject({
      status: 'FAILED',
      error: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', retryable: false },
    });
  });

  it('schedules a retry of a retryable fault, records it as the last error and forgets the failed task', async () => {
    // Prepare
    const { cloner, execute, jobs } = await setup();
    cloner.outcome = () => ({ state: 'failed', error: new VcenterFaultError('TaskInProgress', 'busy', 'retryable') });
    // Act
    const attempt = execute(message, context);
    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'RETRY_SCHEDULED',
      afterSeconds: 2,
      cause: { faultType: 'TaskInProgress', retryable: true },
    });
    const job = await jobs.get(jobId);
    expect(job).toMatchObject({
      status: 'RUNNING',
      attempts: 1,
      lastError: { code: 'VCENTER_FAULT', fault: 'TaskInProgress', message: 'busy', at: '2026-11-25T12:00:00.000Z' },
      nextAttemptAt: '2026-11-25T12:00:02.000Z',
    });
    expect(job?.task).toBeUndefined();
  });

  it('reconciles DuplicateName by adopting its own VM', async () => {
    // Prepare
    const { cloner, execute } = await setup();
    cloner.outcome = (plan) => {
      cloner.createVm(plan);
      return { state: 'failed', error: new VcenterFaultError('DuplicateName', 'exists', 'reconcile') };
    };
    // Act
    const job = await execute(message, context);
    // Assess
    expect(job?.status).toBe('SUCCEEDED');
  });

  it('retries a transport error after a backoff, keeping the job RUNNING with its last error', async () => {
    // Prepare
    const { cloner, execute, jobs } = await setup();
    cloner.startError = new VcenterUnavailableError('connection reset');
    // Act
    const attempt = execute(message, context);
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'RETRY_SCHEDULED', cause: { code: 'VCENTER_UNAVAILABLE' } });
    expect(await jobs.get(jobId)).toMatchObject({
      status: 'RUNNING',
      lastError: { code: 'VCENTER_UNAVAILABLE', message: 'connection reset' },
    });
  });

  it('acknowledges a terminal job and re-publishes only an unpublished event', async () => {
    // Prepare
    const { cloner, execute, events } = await setup();
    // The publish fails, and so does the second try inside the same delivery.
    events.failNext = 2;
    await expect(execute(message, context)).rejects.toThrow('bus unavailable');
    // Act
    const job = await execute(message, context);
    await execute(message, context);
    // Assess
    expect(job).toMatchObject({ status: 'SUCCEEDED', announced: 'SUCCEEDED' });
    expect(events.events).toHaveLength(1);
    expect(cloner.calls.filter((c) => c.startsWith('startClone'))).toHaveLength(1);
  });

  it('never starts a second clone while another delivery holds the attempt, and takes over once it expires', async () => {
    // Prepare
    const { cloner, execute, jobs } = await setup('RUNNING', {
      attempt: { until: new Date(Date.now() + 60_000).toISOString() },
    });
    // Act
    const blocked = execute(message, context);
    // Assess
    await expect(blocked).rejects.toMatchObject({ code: 'ATTEMPT_IN_PROGRESS', retryable: true });
    expect(cloner.calls).toEqual([]);
    const job = (await jobs.get(jobId)) as CloneJob;
    await jobs.save(transition(job, { patch: { attempt: { until: '2000-01-01T00:00:00.000Z' } }, now: new Date() }));
    expect(await execute(message, context)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('does nothing for a message whose job does not exist', async () => {
    // Prepare
    const { cloner, execute } = await setup();
    // Act
    const job = await execute({ version: '1', jobId: 'no-such-job', action: 'clone' }, context);
    // Assess
    expect(job).toBeUndefined();
    expect(cloner.calls).toEqual([]);
  });
});

describe('Use case: executeClone with waitFor ip', () => {
  const setupIp = async () => {
    const jobs = new InMemoryJobRepository();
    const cloner = new ScriptedVmCloner();
    const events = new RecordingEventPublisher();
    const clock = fixedClock();
    const request = CloneRequestSchema.parse({
      source: { path: '/DC0/vm/src' },
      waitFor: 'ip',
      ttlMinutes: 30,
      nics: [{ key: 4000, connected: false }],
    });
    const now = clock.now().toISOString();
    await jobs.create({
      jobId,
      status: 'QUEUED',
      version: 1,
      request,
      vmName: `ic-${jobId}`,
      createdAt: now,
      updatedAt: now,
    });
    const quota = new RecordingQuotaRelease();
    return { jobs, cloner, events, clock, execute: makeExecuteClone({ jobs, cloner, events, clock, quota }) };
  };

  it('keeps waiting while the clone still reports the source IP, and hands the message back at the deadline', async () => {
    // Prepare
    const { execute, jobs, clock } = await setupIp();
    // Act
    const attempt = execute(message, { deadline: clock.now().getTime() + 3_000 });
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'WAITING_FOR_GUEST', retryable: true });
    expect(await jobs.get(jobId)).toMatchObject({ status: 'RUNNING', sourceIp: '10.0.0.10', vm: { moref: 'vm-100' } });
  });

  it('succeeds with the new IP, a lease and Clone Succeeded + Clone Ready once the guest re-identifies', async () => {
    // Prepare
    const { execute, cloner, events, clock } = await setupIp();
    await expect(execute(message, { deadline: clock.now().getTime() + 1_000 })).rejects.toThrow();
    cloner.reidentify('vm-100', '10.0.0.77');
    // Act
    const job = await execute(message, { deadline: clock.now().getTime() + 10_000 });
    // Assess
    expect(job).toMatchObject({ status: 'SUCCEEDED', vm: { ipAddress: '10.0.0.77' } });
    expect(Date.parse(job?.leaseExpiresAt ?? '') - Date.parse(job?.readyAt ?? '')).toBe(30 * 60_000);
    expect(events.events.map((e) => e.detailType)).toEqual(['Clone Succeeded', 'Clone Ready']);
    expect(cloner.calls.filter((c) => c.startsWith('startClone'))).toHaveLength(1);
  });

  it('reconnects the NICs cloned disconnected only after the guest re-identified itself', async () => {
    // Prepare
    const { execute, cloner, clock } = await setupIp();
    await expect(execute(message, { deadline: clock.now().getTime() + 1_000 })).rejects.toThrow();
    const before = cloner.calls.some((c) => c.startsWith('reconnectNics'));
    cloner.reidentify('vm-100', '10.0.0.78');
    // Act
    await execute(message, { deadline: clock.now().getTime() + 10_000 });
    // Assess
    expect(before).toBe(false);
    expect(cloner.calls).toContain('reconnectNics vm-100 4000');
  });
});
