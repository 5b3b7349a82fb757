import { describe, expect, it } from 'vitest';
import { offersDestroy } from '#shared/console/view/console-job';
import { formatDuration, labelTexts } from '#shared/console/view/format';
import { eventsOf } from '#shared/console/view/job-events';
import { showsRequester, toJobRow } from '#shared/console/view/job-row';
import { timelineOf } from '#shared/console/view/timeline';
import { consoleJob, destroyedJob, T } from './console-job-fixtures.js';

describe('Console view: formatting', () => {
  it('writes durations the way people read them', () => {
    // Act
    const written = [850, 1234, 9999, 42_000, 185_000, 7_830_000, 273_600_000, undefined, -5].map(formatDuration);
    // Assess
    expect(written).toEqual(['850 ms', '1.2 s', '9.9 s', '42 s', '3 min 05 s', '2 h 10 min', '3 d 4 h', '—', '—']);
  });

  it('lists labels as key=value with the service’s own last', () => {
    // Act
    const texts = labelTexts({ 'instaclone.pool': 'ci', team: 'qa', app: 'web' });
    // Assess
    expect(texts).toEqual(['app=web', 'team=qa', 'instaclone.pool=ci']);
  });
});

describe('Console view: a row of the jobs table', () => {
  it('shows queue and task time of a finished job, and its IP', () => {
    // Act
    const row = toJobRow(destroyedJob(), new Date(T(120_000)));
    // Assess
    expect(row).toMatchObject({
      status: 'DESTROYED',
      name: 'instaclone-job-1',
      source: '/DC0/vm/golden',
      labels: ['team=ci'],
      age: '2 min 00 s ago',
      queueTime: '105 ms',
      taskTime: '300 ms',
      ip: '10.0.0.9',
    });
    expect(row.requestedBy).toBeUndefined();
  });

  it('counts a waiting job’s queue time up, so far', () => {
    // Act
    const row = toJobRow(consoleJob(), new Date(T(4200)));
    // Assess
    expect(row).toMatchObject({ queueTime: '4.2 s so far', taskTime: '—', ip: '—' });
  });

  it('shows who asked only when the API says so for some job', () => {
    // Prepare
    const now = new Date(T(1000));
    const anonymous = [toJobRow(consoleJob(), now)];
    const alice = { id: 'oidc:https://id.example#123', kind: 'oidc', attributes: { email: 'alice@example.com' } };
    const ci = { id: 'token:ci', kind: 'token', attributes: { name: 'ci' } };
    const known = [
      ...anonymous,
      toJobRow(consoleJob({}, { requestedBy: alice }), now),
      toJobRow(consoleJob({}, { requestedBy: ci }), now),
    ];
    // Act, Assess
    expect(showsRequester(anonymous)).toBe(false);
    expect(showsRequester(known)).toBe(true);
    expect(known.map((row) => row.requestedBy)).toEqual([undefined, 'alice@example.com', 'token:ci']);
  });

  it('offers Destroy while there is a clone to destroy, unless the API says the caller may not', () => {
    // Act, Assess
    expect(offersDestroy(consoleJob({ status: 'SUCCEEDED' }))).toBe(true);
    expect(offersDestroy(consoleJob({ status: 'SUCCEEDED' }, { allowedActions: ['read'] }))).toBe(false);
    expect(offersDestroy(consoleJob({ status: 'SUCCEEDED' }, { allowedActions: ['destroy'] }))).toBe(true);
    expect(offersDestroy(destroyedJob())).toBe(false);
  });
});

describe('Console view: a job’s timeline', () => {
  it('lists every step with the time since the one before', () => {
    // Act
    const steps = timelineOf(destroyedJob(), new Date(T(90_000)));
    // Assess
    expect(steps.map((s) => [s.key, s.state, s.sincePreviousMs])).toEqual([
      ['accepted', 'done', undefined],
      ['queued', 'done', 5],
      ['started', 'done', 100],
      ['taskStarted', 'done', 50],
      ['taskEnded', 'done', 300],
      ['ready', 'done', 0],
      ['destroyed', 'done', 60_000],
    ]);
  });

  it('counts the current step up and leaves later ones for later', () => {
    // Prepare
    const running = consoleJob({ status: 'RUNNING', queuedAt: T(5), startedAt: T(100), taskStartedAt: T(150) });
    // Act
    const steps = timelineOf(running, new Date(T(2150)));
    // Assess
    expect(steps.map((s) => [s.key, s.state])).toEqual([
      ['accepted', 'done'],
      ['queued', 'done'],
      ['started', 'done'],
      ['taskStarted', 'done'],
      ['taskEnded', 'current'],
      ['ready', 'later'],
      ['destroyed', 'later'],
    ]);
    expect(steps[4]?.sincePreviousMs).toBe(2000);
  });

  it('ends a failed job at its failure, and says which steps were never recorded', () => {
    // Prepare: a job from before the queue timestamps existed, failed by its task.
    const failed = consoleJob({
      status: 'FAILED',
      taskStartedAt: T(200),
      taskEndedAt: T(300),
      updatedAt: T(310),
      error: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', message: 'off', retryable: false },
    });
    // Act
    const steps = timelineOf(failed, new Date(T(1000)));
    // Assess
    expect(steps.map((s) => [s.key, s.state])).toEqual([
      ['accepted', 'done'],
      ['queued', 'unrecorded'],
      ['started', 'unrecorded'],
      ['taskStarted', 'done'],
      ['taskEnded', 'done'],
      ['failed', 'done'],
    ]);
    expect(steps[3]?.sincePreviousMs).toBe(200);
  });

  it('marks the steps a job destroyed while queued never reached as skipped', () => {
    // Prepare: a DELETE while it was queued (QUEUED → DESTROYED at once).
    const job = consoleJob({ status: 'DESTROYED', destroyedAt: T(900), destroyRequested: true });
    // Act
    const steps = timelineOf(job, new Date(T(1000)));
    // Assess
    expect(steps.map((s) => s.state)).toEqual(['done', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'done']);
    expect(steps.at(-1)?.sincePreviousMs).toBe(900);
  });

  it('adds the pool claim and the late configuration when the job has them', () => {
    // Prepare
    const warm = consoleJob({ status: 'SUCCEEDED', readyAt: T(400), claimedAt: T(5000), configuredAt: T(5150) });
    // Act
    const keys = timelineOf(warm, new Date(T(6000))).map((s) => s.key);
    // Assess
    expect(keys).toEqual([
      'accepted',
      'queued',
      'started',
      'taskStarted',
      'taskEnded',
      'ready',
      'claimed',
      'configured',
      'destroyed',
    ]);
  });
});

describe('Console view: a job’s events', () => {
  it('lists the events published for the job with their callbacks, oldest first', () => {
    // Prepare
    const callback = {
      state: 'delivered' as const,
      url: 'https://ci.example/cb',
      attempts: 1,
      status: 204,
      at: T(500),
      deliveryId: 'd-1',
    };
    const job = { ...destroyedJob(), callbacks: { succeeded: callback } };
    // Act
    const events = eventsOf(job);
    // Assess
    expect(events).toEqual([
      { name: 'Clone Succeeded', at: T(455), callback },
      { name: 'Clone Destroyed', at: T(60_455) },
    ]);
  });
});
