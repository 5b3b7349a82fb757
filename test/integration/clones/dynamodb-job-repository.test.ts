import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import type { CloneJob, JobCallback } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { transition } from '#shared/clones/model/job-transition';
import { DYNAMODB_ITEM_LIMIT_BYTES, JOB_STATE_LIMITS } from '#shared/clones/model/request-limits';
import { StaleTransitionError } from '#shared/errors/app-error';
import { dynamoDbItemBytes } from '#test/support/dynamodb-item-size';
import {
  largestGuestinfoBytes,
  requestWithEverythingAtItsLimit,
  withGuestinfoBytes,
} from '#test/support/largest-requests';

let dynamo: DynamoDbEmulator;
let jobs: DynamoDbJobRepository;
const now = new Date('2026-11-25T12:00:00.000Z');

const callback = (state: JobCallback['state'], deliveryId: string): JobCallback => ({
  state,
  url: 'https://ci.example.com/hook',
  attempts: state === 'delivered' ? 1 : 4,
  status: state === 'delivered' ? 204 : 500,
  at: now.toISOString(),
  deliveryId,
});

const newJob = (jobId: string): CloneJob => ({
  jobId,
  status: 'QUEUED',
  version: 1,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/DC0_H0_VM0' } }),
  vmName: `instaclone-${jobId}`,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

beforeAll(async () => {
  dynamo = await startDynamoDbEmulator();
  jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
});
afterAll(() => dynamo.close());

describe('Adapter: DynamoDbJobRepository on dynalite', () => {
  it('stores a job and reads it back without its table keys', async () => {
    // Prepare
    await jobs.create(newJob('job-a-0001'));
    // Act
    const job = await jobs.get('job-a-0001');
    // Assess
    expect(job).toEqual(newJob('job-a-0001'));
  });

  it('creates a job once: a second create of the same id answers false and writes nothing', async () => {
    // Prepare
    const first = await jobs.create(newJob('job-b-0001'));
    // Act
    const again = await jobs.create({ ...newJob('job-b-0001'), vmName: 'other' });
    // Assess
    expect([first, again]).toEqual([true, false]);
    expect((await jobs.get('job-b-0001'))?.vmName).toBe('instaclone-job-b-0001');
  });

  it('moves a job forward, bumps its version and removes fields patched to undefined', async () => {
    // Prepare
    await jobs.create(newJob('job-c-0001'));
    const running = await jobs.save(
      transition(newJob('job-c-0001'), {
        to: 'RUNNING',
        patch: { task: { moref: 'task-1' } },
        now,
      }),
    );
    // Act
    const cleared = await jobs.save(transition(running, { patch: { task: undefined }, now }));
    // Assess
    expect(running).toMatchObject({ status: 'RUNNING', version: 2, task: { moref: 'task-1' } });
    expect(cleared).toMatchObject({ status: 'RUNNING', version: 3 });
    expect(cleared.task).toBeUndefined();
  });

  it('rejects a stale writer with StaleTransitionError and keeps the stored job', async () => {
    // Prepare
    await jobs.create(newJob('job-d-0001'));
    await jobs.save(transition(newJob('job-d-0001'), { to: 'RUNNING', now }));
    // Act
    const stale = jobs.save(transition(newJob('job-d-0001'), { to: 'FAILED', now }));
    // Assess
    await expect(stale).rejects.toBeInstanceOf(StaleTransitionError);
    expect(await jobs.get('job-d-0001')).toMatchObject({ status: 'RUNNING', version: 2 });
  });

  it('refuses a patch prepared on the same read as a change that landed first', async () => {
    // Prepare
    await jobs.create(newJob('job-e-0001'));
    const read = await jobs.save(transition(newJob('job-e-0001'), { to: 'RUNNING', now }));
    const first = transition(read, { patch: { task: { moref: 'task-1' } }, now });
    const second = transition(read, { patch: { task: { moref: 'task-2' } }, now });
    await jobs.save(first);
    // Act
    const late = jobs.save(second);
    // Assess
    await expect(late).rejects.toBeInstanceOf(StaleTransitionError);
    expect(await jobs.get('job-e-0001')).toMatchObject({ version: 3, task: { moref: 'task-1' } });
  });

  it('lists unsettled jobs from the table itself: unfinished, or finished without an announcement', async () => {
    // Prepare
    await jobs.create(newJob('job-f-0001'));
    const failed = await jobs.save(
      transition(await jobs.save(transition(newJob('job-f-0001'), { to: 'RUNNING', now })), {
        to: 'FAILED',
        now,
      }),
    );
    await jobs.save(transition(failed, { patch: { announced: 'FAILED' }, now }));
    await jobs.create(newJob('job-g-0001'));
    const unannounced = await jobs.save(
      transition(await jobs.save(transition(newJob('job-g-0001'), { to: 'RUNNING', now })), {
        to: 'SUCCEEDED',
        now,
      }),
    );
    // Act
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.listUnsettled({ limit: 3, ...(cursor && { cursor }) });
      ids.push(...page.jobs.map((j) => j.jobId));
      cursor = page.cursor;
    } while (cursor);
    // Assess
    expect(ids).toContain(unannounced.jobId);
    expect(ids).toContain('job-a-0001');
    expect(ids).not.toContain('job-f-0001');
  });

  it('lists one status newest first within a window of positions, from the status index', async () => {
    // Prepare: four failed jobs an hour apart on a day no other test uses.
    const failed = ['01', '02', '03', '04'].map(
      (hour): CloneJob => ({
        ...newJob(`job-w-${hour}`),
        status: 'FAILED',
        createdAt: `2026-11-20T${hour}:00:00.000Z`,
      }),
    );
    for (const job of failed) await jobs.create(job);
    // Act
    const since = await jobs.listByStatus('FAILED', { limit: 10, createdSince: '2026-11-20T02:00:00.000Z' });
    const window = await jobs.listByStatus('FAILED', {
      limit: 10,
      newestFirst: true,
      createdSince: '2026-11-20T00:00:00.000Z',
      before: failed[3]!,
    });
    // Assess
    expect(since.jobs.map((job) => job.jobId).slice(0, 3)).toEqual(['job-w-02', 'job-w-03', 'job-w-04']);
    expect(window.jobs.map((job) => job.jobId)).toEqual(['job-w-03', 'job-w-02', 'job-w-01']);
  });

  it('answers undefined for a job that does not exist', async () => {
    // Act
    const job = await jobs.get('no-such-job');
    // Assess
    expect(job).toBeUndefined();
  });

  it('records a callback per event without touching version, status or updatedAt', async () => {
    // Prepare
    await jobs.create(newJob('job-h-0001'));
    const running = await jobs.save(transition(newJob('job-h-0001'), { to: 'RUNNING', now }));
    // Act
    await jobs.recordCallback('job-h-0001', 'succeeded', callback('failed', 'ev-1:SUCCEEDED'));
    await jobs.recordCallback('job-h-0001', 'ready', callback('delivered', 'ev-2:SUCCEEDED'));
    await jobs.recordCallback('job-h-0001', 'succeeded', callback('delivered', 'ev-1:SUCCEEDED'));
    const stored = await jobs.get('job-h-0001');
    // Assess
    expect(stored).toEqual({
      ...running,
      callbacks: {
        succeeded: callback('delivered', 'ev-1:SUCCEEDED'),
        ready: callback('delivered', 'ev-2:SUCCEEDED'),
      },
    });
  });

  it('leaves a transition in flight valid: the worker still moves the job with the version it read', async () => {
    // Prepare
    await jobs.create(newJob('job-i-0001'));
    const read = await jobs.save(transition(newJob('job-i-0001'), { to: 'RUNNING', now }));
    await jobs.recordCallback('job-i-0001', 'failed', callback('refused', 'ev-3:FAILED'));
    // Act
    const moved = await jobs.save(transition(read, { to: 'SUCCEEDED', now }));
    // Assess
    expect(moved).toMatchObject({ status: 'SUCCEEDED', version: 3, callbacks: { failed: { state: 'refused' } } });
  });

  it('records nothing, and creates no job, when the job does not exist', async () => {
    // Act
    const recording = jobs.recordCallback('job-gone-0001', 'destroyed', callback('delivered', 'ev-4:DESTROYED'));
    // Assess
    await expect(recording).resolves.toBeUndefined();
    expect(await jobs.get('job-gone-0001')).toBeUndefined();
  });

  it('stores the largest job the request budget allows, with its largest error and every callback, under 400 KB', async () => {
    // Prepare: every request field at its limit, guestinfo filling the rest of the budget, then the largest state
    const base = requestWithEverythingAtItsLimit();
    const request = withGuestinfoBytes(base, largestGuestinfoBytes(base));
    const macs = (request.nics ?? []).map((nic, i) => ({
      key: nic.key,
      mac: `00:50:56:3a:00:0${i}`,
      range: 'r'.repeat(40),
    }));
    const job = { ...newJob('job-largest-1'), request, vmName: request.name ?? 'x', macs };
    await jobs.create(job);
    const running = await jobs.save(
      transition(job, { to: 'RUNNING', now, patch: { task: { moref: 'task-1234567' } } }),
    );
    const failed = await jobs.save(
      transition(running, {
        to: 'FAILED',
        now,
        patch: {
          error: {
            code: 'VCENTER_FAULT',
            fault: 'InvalidPowerState',
            message: '€'.repeat(JOB_STATE_LIMITS.errorMessageBytes / 3),
            retryable: false,
          },
        },
      }),
    );
    const reason = '€'.repeat(JOB_STATE_LIMITS.callbackReasonBytes / 3);
    for (const event of ['succeeded', 'ready', 'failed', 'destroyed'] as const) {
      await jobs.recordCallback(job.jobId, event, {
        ...callback('failed', `${event}-delivery-id-0001`),
        url: request.callbackUrl ?? '',
        reason,
      });
    }
    // Act
    const stored = await jobs.get(job.jobId);
    const { Item } = await dynamo
      .client()
      .send(new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: `JOB#${job.jobId}` } } }));
    // Assess: dynalite refuses items over the limit as DynamoDB does; and at least 64 KB are left over
    expect(stored).toMatchObject({ status: 'FAILED', version: failed.version, request });
    expect(Object.keys(stored?.callbacks ?? {})).toHaveLength(4);
    expect(dynamoDbItemBytes(Item as Record<string, AttributeValue>)).toBeLessThan(
      DYNAMODB_ITEM_LIMIT_BYTES - 64 * 1024,
    );
  });
});
