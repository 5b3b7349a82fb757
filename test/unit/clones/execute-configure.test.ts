import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { CONFIGURED_EXTRA_CONFIG_KEY } from '#shared/clones/use-cases/execute-configure';
import { makeHandleCloneMessage } from '#shared/clones/use-cases/handle-clone-message';
import { GuestConfigError } from '#shared/errors/app-error';
import { CONFIGURED_DETAIL_TYPE } from '#shared/events/clone-events';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { RecordingEventPublisher } from '#test/fakes/recording-event-publisher';
import { RecordingQuotaRelease } from '#test/fakes/recording-quota-release';
import { ScriptedVmCloner } from '#test/fakes/scripted-vm-cloner';

const jobId = 'job-0003-cccc';
const context = { deadline: Date.now() + 60_000 };
const configure = { version: '1', jobId, action: 'configure', requestedAt: '2026-11-25T11:59:59.900Z' } as const;
const JIT_KEY = 'guestinfo.instaclone.runner.jitconfig';

/** A finished, announced clone (a warm spare just claimed) and a worker whose late guestinfo is a JIT config. */
const setup = async (resolve?: (job: CloneJob) => Promise<Record<string, string>>) => {
  const jobs = new InMemoryJobRepository();
  const cloner = new ScriptedVmCloner();
  const events = new RecordingEventPublisher();
  const sent: CloneMessageInput[] = [];
  const queue = { enqueue: async (m: CloneMessageInput) => void sent.push(m) };
  const clock = fixedClock();
  const resolved: string[] = [];
  const resolveGuestinfo = async (job: CloneJob) => {
    resolved.push(job.jobId);
    return resolve ? resolve(job) : { [JIT_KEY]: `JIT-${resolved.length}` };
  };
  const now = clock.now().toISOString();
  await jobs.create({
    jobId,
    status: 'QUEUED',
    version: 1,
    request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' } }),
    vmName: `instaclone-${jobId}`,
    createdAt: now,
    updatedAt: now,
  });
  const quota = new RecordingQuotaRelease();
  const handle = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, resolveGuestinfo, quota });
  // The clone itself needs no late values: only `configure` asks for them here.
  const clone = makeHandleCloneMessage({ jobs, queue, cloner, events, clock, quota });
  const born = await clone({ version: '1', jobId, action: 'clone' }, context);
  clock.advance(100);
  return { jobs, cloner, events, sent, handle, resolved, vm: born?.vm?.moref ?? '' };
};

describe('Use case: configuring a running clone (warm runners)', () => {
  it('sets the resolved values on the VM, announces Clone Configured and records configuredAt', async () => {
    // Prepare
    const { handle, cloner, events, vm } = await setup();
    // Act
    const job = await handle(configure, context);
    // Assess
    expect(cloner.vms.get(vm)?.extraConfig[JIT_KEY]).toBe('JIT-1');
    expect(cloner.vms.get(vm)?.extraConfig[CONFIGURED_EXTRA_CONFIG_KEY]).toBeDefined();
    expect(job?.configuredAt).toBe('2026-11-25T12:00:00.100Z');
    const configured = events.events.filter((e) => e.detailType === CONFIGURED_DETAIL_TYPE);
    expect(configured).toHaveLength(1);
    expect(configured[0]?.detail).toMatchObject({ jobId, status: 'SUCCEEDED', durationMs: 200 });
  });

  it('does not resolve a second JIT config when the message comes again', async () => {
    // Prepare
    const { handle, cloner, resolved } = await setup();
    await handle(configure, context);
    // Act
    await handle(configure, context);
    // Assess
    expect(resolved).toHaveLength(1);
    expect(cloner.calls.filter((c) => c.startsWith('setExtraConfig'))).toHaveLength(1);
  });

  it('re-announces without resolving again when it crashed after setting the values', async () => {
    // Prepare: the values reached the VM, then the event could not be published.
    const { handle, events, resolved } = await setup();
    events.failNext = 1;
    await expect(handle(configure, context)).rejects.toThrow('bus unavailable');
    // Act
    const job = await handle(configure, context);
    // Assess
    expect(resolved).toHaveLength(1);
    expect(job?.configuredAt).toBeDefined();
    expect(events.events.filter((e) => e.detailType === CONFIGURED_DETAIL_TYPE)).toHaveLength(1);
  });

  it('leaves a VM that is no longer this job’s alone', async () => {
    // Prepare
    const { handle, cloner, resolved, vm } = await setup();
    const found = cloner.vms.get(vm);
    if (found) found.extraConfig = { 'instaclone.jobId': 'someone-else' };
    // Act
    const job = await handle(configure, context);
    // Assess
    expect(resolved).toEqual([]);
    expect(job?.configuredAt).toBeUndefined();
  });

  it('hands the message back on a retryable failure to get the values', async () => {
    // Prepare
    const { handle, cloner } = await setup(async () => {
      throw new GuestConfigError('GitHub rate limit', true);
    });
    // Act
    const run = handle(configure, context);
    // Assess
    await expect(run).rejects.toThrow('GitHub rate limit');
    expect(cloner.calls.filter((c) => c.startsWith('setExtraConfig'))).toHaveLength(0);
  });

  it('records the error and destroys the clone when the values can never be had', async () => {
    // Prepare
    const { handle, jobs, sent } = await setup(async () => {
      throw new GuestConfigError('runner pool linux is not configured', false);
    });
    // Act
    const job = await handle(configure, context);
    // Assess
    expect(job?.status).toBe('DESTROYING');
    expect((await jobs.get(jobId))?.error).toMatchObject({ code: 'GUEST_CONFIG_FAILED', retryable: false });
    expect(sent).toContainEqual({ version: '1', jobId, action: 'destroy' });
  });

  it('does nothing for a job that is not a finished clone', async () => {
    // Prepare
    const { handle, resolved } = await setup();
    // Act
    const job = await handle({ ...configure, jobId: 'job-9999-none' }, context);
    // Assess
    expect(job).toBeUndefined();
    expect(resolved).toEqual([]);
  });
});
