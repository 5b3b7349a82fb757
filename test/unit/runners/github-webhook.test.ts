import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { transition } from '#shared/clones/model/job-transition';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitCloneAs } from '#shared/clones/use-cases/submit-clone';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import { InMemoryDeliveryLedger } from '#shared/runners/ports/delivery-ledger';
import { makeHandleGithubWebhook } from '#shared/runners/use-cases/handle-github-webhook';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/github', `${name}.json`), 'utf8'));

const pools = parseRunnerPools(
  JSON.stringify({
    version: '1',
    pools: [
      {
        name: 'linux',
        labels: ['self-hosted', 'Linux', 'x64'],
        source: { path: '/DC0/vm/runner-golden' },
        scope: 'org',
        organizations: ['octo-org'],
      },
    ],
  }),
);

const setup = () => {
  const jobs = new InMemoryJobRepository();
  const sent: CloneMessageInput[] = [];
  const deliveries = new InMemoryDeliveryLedger();
  const clock = fixedClock('2026-11-25T14:00:01Z');
  const queue = { enqueue: async (m: CloneMessageInput) => void sent.push(m) };
  const handle = makeHandleGithubWebhook({
    pools,
    deliveries,
    jobs,
    queue,
    clock,
    submitCloneAs: makeSubmitCloneAs({
      jobs,
      queue,
      clock,
      access: internalAccess('test'),
      macs: inMemoryJobMacs(jobs, clock).macs,
    }),
    requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
  });
  return { jobs, sent, deliveries, clock, handle };
};

describe('Use case: handle GitHub webhook', () => {
  it('answers a ping with pong and queues nothing', async () => {
    // Prepare
    const { handle, sent } = setup();
    // Act
    const outcome = await handle({ event: 'ping', deliveryId: 'd-0', payload: fixture('ping') });
    // Assess
    expect(outcome).toEqual({ outcome: 'pong' });
    expect(sent).toEqual([]);
  });

  it('clones a runner for a queued job whose labels a pool serves, labelled so it can be found again', async () => {
    // Prepare
    const { handle, sent, jobs } = setup();
    // Act
    const outcome = await handle({ event: 'workflow_job', deliveryId: 'd-1', payload: fixture('workflow-job-queued') });
    // Assess
    expect(outcome).toEqual({ outcome: 'submitted', jobId: 'github-job-2832853555', pool: 'linux' });
    expect(sent).toEqual([{ version: '1', jobId: 'github-job-2832853555' }]);
    const job = await jobs.get('github-job-2832853555');
    expect(job).toMatchObject({
      status: 'QUEUED',
      vmName: 'instaclone-github-job-2832853555',
      request: {
        source: { path: '/DC0/vm/runner-golden' },
        ttlMinutes: 360,
        labels: {
          'github.pool': 'linux',
          'github.job-id': '2832853555',
          'github.run-id': '940463255',
          'github.repo': 'octo-org/Hello-World',
          'github.org': 'octo-org',
          'github.installation-id': '2311213',
          'github.queued-at': '2026-11-25T14:00:00Z',
        },
        guestinfo: { 'instaclone.runner.pool': 'linux', 'instaclone.runner.repo': 'octo-org/Hello-World' },
      },
    });
  });

  it('queues nothing twice for a redelivered delivery id, nor for a new delivery of the same job', async () => {
    // Prepare
    const { handle, sent } = setup();
    await handle({ event: 'workflow_job', deliveryId: 'd-1', payload: fixture('workflow-job-queued') });
    // Act
    const redelivered = await handle({
      event: 'workflow_job',
      deliveryId: 'd-1',
      payload: fixture('workflow-job-queued'),
    });
    const resent = await handle({ event: 'workflow_job', deliveryId: 'd-2', payload: fixture('workflow-job-queued') });
    // Assess
    expect(redelivered).toEqual({ outcome: 'duplicate' });
    expect(resent).toEqual({ outcome: 'duplicate', jobId: 'github-job-2832853555' });
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['waiting', 'workflow-job-waiting', 'action waiting'],
    ['in_progress', 'workflow-job-in-progress', 'action in_progress'],
    ['labels no pool serves', 'workflow-job-queued-unmatched-labels', 'no pool serves these labels'],
  ])('ignores a workflow job that is %s', async (_label, name, reason) => {
    // Prepare
    const { handle, sent } = setup();
    // Act
    const outcome = await handle({ event: 'workflow_job', deliveryId: `d-${name}`, payload: fixture(name) });
    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason });
    expect(sent).toEqual([]);
  });

  it('ignores other events', async () => {
    // Act
    const outcome = await setup().handle({ event: 'push', deliveryId: 'd-3', payload: {} });
    // Assess
    expect(outcome).toEqual({ outcome: 'ignored', reason: 'event push' });
  });

  it('destroys the runner clone that ran a completed job', async () => {
    // Prepare
    const { handle, sent, jobs, clock } = setup();
    await handle({ event: 'workflow_job', deliveryId: 'd-1', payload: fixture('workflow-job-queued') });
    const queued = await jobs.get('github-job-2832853555');
    const running = await jobs.save(transition(queued!, { to: 'RUNNING', now: clock.now() }));
    await jobs.save(transition(running, { to: 'SUCCEEDED', now: clock.now() }));
    // Act
    const outcome = await handle({
      event: 'workflow_job',
      deliveryId: 'd-4',
      payload: fixture('workflow-job-completed'),
    });
    // Assess
    expect(outcome).toEqual({ outcome: 'destroy-requested', jobId: 'github-job-2832853555' });
    expect((await jobs.get('github-job-2832853555'))?.status).toBe('DESTROYING');
    expect(sent.at(-1)).toEqual({ version: '1', jobId: 'github-job-2832853555', action: 'destroy' });
  });

  it('cancels the clone of a job cancelled before any runner took it while that clone is not up yet', async () => {
    // Prepare
    const { handle, jobs } = setup();
    await handle({ event: 'workflow_job', deliveryId: 'd-1', payload: fixture('workflow-job-queued') });
    // Act
    const outcome = await handle({
      event: 'workflow_job',
      deliveryId: 'd-5',
      payload: fixture('workflow-job-cancelled-before-pickup'),
    });
    // Assess
    expect(outcome).toEqual({ outcome: 'destroy-requested', jobId: 'github-job-2832853555' });
    expect((await jobs.get('github-job-2832853555'))?.destroyRequested).toBe(true);
  });

  it('releases the delivery claim when queueing fails, so GitHub redelivering it is acted on', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const deliveries = new InMemoryDeliveryLedger();
    const queue = {
      enqueue: async () => {
        throw new Error('queue down');
      },
    };
    const clock = fixedClock();
    const handle = makeHandleGithubWebhook({
      pools,
      deliveries,
      jobs,
      queue,
      clock,
      submitCloneAs: makeSubmitCloneAs({
        jobs,
        queue,
        clock,
        access: internalAccess('test'),
        macs: inMemoryJobMacs(jobs, clock).macs,
      }),
      requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
    });
    // Act
    const attempt = handle({ event: 'workflow_job', deliveryId: 'd-6', payload: fixture('workflow-job-queued') });
    // Assess
    await expect(attempt).rejects.toThrow('queue down');
    expect(deliveries.seen.has('d-6')).toBe(false);
  });
});
