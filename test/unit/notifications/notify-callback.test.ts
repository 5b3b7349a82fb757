import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { cloneEventsFor } from '#shared/events/clone-events';
import type { CallbackInput, CallbackOutcome } from '#shared/notifications/use-cases/deliver-callback';
import { type BusEventInput, makeNotifyCallback } from '#shared/notifications/use-cases/notify-callback';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';

const at = '2026-11-25T12:00:05.000Z';

const storedJob = (patch: Partial<CloneJob> = {}): CloneJob => ({
  jobId: 'job-cb-1',
  status: 'SUCCEEDED',
  version: 3,
  request: CloneRequestSchema.parse({
    source: { path: '/DC0/vm/DC0_H0_VM0' },
    callbackUrl: 'https://ci.example.com/hook',
    waitFor: 'ip',
  }),
  vmName: 'instaclone-job-cb-1',
  createdAt: '2026-11-25T12:00:00.000Z',
  updatedAt: '2026-11-25T12:00:01.000Z',
  ...patch,
});

/** The `index`th event announcing the job's status, as EventBridge hands it to the notifier (event id `id`). */
const busEvent = (job: CloneJob, id: string, index = 0): BusEventInput => {
  const event = cloneEventsFor(job)[index];
  if (!event) throw new Error(`no event ${index} for ${job.status}`);
  return { id, 'detail-type': event.detailType, detail: event.detail };
};

/** A receiver that answers with `outcomes` in turn, recording what it was sent. */
const scriptedDelivery = (...outcomes: Array<Omit<CallbackOutcome, 'url' | 'at'>>) => {
  const sent: CallbackInput[] = [];
  const deliver = async (input: CallbackInput): Promise<CallbackOutcome> => {
    sent.push(input);
    const next = outcomes.shift() ?? { state: 'delivered', attempts: 1, status: 200 };
    return { ...next, url: input.url, at };
  };
  return { deliver, sent };
};

describe('Use case: notifyCallback', () => {
  it('records each event’s outcome on the job under its own key, with the delivery id the receiver got', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    await jobs.create(storedJob());
    const { deliver, sent } = scriptedDelivery(
      { state: 'delivered', attempts: 2, status: 202 },
      { state: 'failed', attempts: 4, status: 500, reason: 'answered 500' },
    );
    const notify = makeNotifyCallback({ deliver, jobs });
    // Act
    const results = [await notify(busEvent(storedJob(), 'ev-1')), await notify(busEvent(storedJob(), 'ev-2', 1))];
    // Assess
    expect(results.map((r) => r.notified && r.event)).toEqual(['succeeded', 'ready']);
    expect(sent.map((s) => s.deliveryId)).toEqual(['ev-1:SUCCEEDED', 'ev-2:SUCCEEDED']);
    const job = await jobs.get('job-cb-1');
    expect(job?.callbacks).toEqual({
      succeeded: {
        state: 'delivered',
        url: 'https://ci.example.com/hook',
        attempts: 2,
        status: 202,
        at,
        deliveryId: 'ev-1:SUCCEEDED',
      },
      ready: {
        state: 'failed',
        url: 'https://ci.example.com/hook',
        attempts: 4,
        status: 500,
        reason: 'answered 500',
        at,
        deliveryId: 'ev-2:SUCCEEDED',
      },
    });
    expect(job).toMatchObject({ status: 'SUCCEEDED', version: 3, updatedAt: storedJob().updatedAt });
  });

  it('keeps the earlier events’ outcomes when a later one is recorded, and replaces a re-run of the same event', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    await jobs.create(storedJob());
    const { deliver } = scriptedDelivery(
      { state: 'failed', attempts: 1, status: 410, reason: 'answered 410' },
      { state: 'delivered', attempts: 1, status: 200 },
      { state: 'delivered', attempts: 1, status: 204 },
    );
    const notify = makeNotifyCallback({ deliver, jobs });
    const succeeded = busEvent(storedJob(), 'ev-1');
    // Act
    await notify(succeeded);
    await notify(succeeded);
    await notify(busEvent(storedJob({ status: 'DESTROYED' }), 'ev-3'));
    // Assess
    const job = await jobs.get('job-cb-1');
    expect(job?.callbacks).toMatchObject({
      succeeded: { state: 'delivered', status: 200, deliveryId: 'ev-1:SUCCEEDED' },
      destroyed: { state: 'delivered', status: 204, deliveryId: 'ev-3:DESTROYED' },
    });
  });

  it('records a refused URL as refused', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    await jobs.create(storedJob({ status: 'FAILED' }));
    const { deliver } = scriptedDelivery({ state: 'refused', attempts: 0, reason: 'private address' });
    const notify = makeNotifyCallback({ deliver, jobs });
    // Act
    const result = await notify(busEvent(storedJob({ status: 'FAILED' }), 'ev-4'));
    // Assess
    expect(result).toMatchObject({ notified: true, event: 'failed', outcome: { state: 'refused', attempts: 0 } });
    expect((await jobs.get('job-cb-1'))?.callbacks?.failed).toMatchObject({ state: 'refused', attempts: 0 });
  });

  it('delivers but re-creates nothing when the job is gone by the time the outcome is recorded', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const { deliver, sent } = scriptedDelivery();
    const notify = makeNotifyCallback({ deliver, jobs });
    // Act
    const result = await notify(busEvent(storedJob(), 'ev-1'));
    // Assess
    expect(result).toMatchObject({ notified: true, outcome: { state: 'delivered' } });
    expect(sent).toHaveLength(1);
    expect(jobs.items.size).toBe(0);
  });

  it('neither delivers nor records for a job without a callbackUrl or an event type the service does not publish', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const withoutUrl = storedJob();
    delete withoutUrl.request.callbackUrl;
    await jobs.create(withoutUrl);
    const { deliver, sent } = scriptedDelivery();
    const notify = makeNotifyCallback({ deliver, jobs });
    // Act
    const results = [
      await notify(busEvent(withoutUrl, 'ev-1')),
      await notify({ ...busEvent(storedJob(), 'ev-5'), 'detail-type': 'Clone Configured' }),
    ];
    // Assess
    expect(results).toEqual([
      { notified: false, reason: 'no callbackUrl' },
      { notified: false, reason: 'not a clone event type' },
    ]);
    expect(sent).toEqual([]);
    expect((await jobs.get('job-cb-1'))?.callbacks).toBeUndefined();
  });

  it('records nothing when delivery rejects (aborted), so the re-run records the real outcome', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    await jobs.create(storedJob());
    const notify = makeNotifyCallback({
      deliver: async () => {
        throw new Error('aborted');
      },
      jobs,
    });
    // Act
    const notifying = notify(busEvent(storedJob(), 'ev-1'));
    // Assess
    await expect(notifying).rejects.toThrow('aborted');
    expect((await jobs.get('job-cb-1'))?.callbacks).toBeUndefined();
  });
});
