import { describe, expect, it } from 'vitest';
import { poolWorld } from './pool-world.js';

const source = { path: '/DC0/vm/golden' };

describe('Use case: scalePool', () => {
  it('submits the missing spares with the pool label, the template and the sources round-robin', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('ci', {
      sources: [{ path: '/DC0/vm/golden-h0' }, { path: '/DC0/vm/golden-h1' }],
      spare: 3,
      template: { guestinfo: { role: 'runner' }, labels: { team: 'ci' } },
      namePrefix: 'ci-pool',
    });
    // Act
    const outcome = await world.scalePool('ci');
    // Assess
    const jobs = world.jobsOf('ci');
    expect(outcome).toMatchObject({ outcome: 'scaled', submitted: jobs.map((j) => j.jobId) });
    expect(jobs).toHaveLength(3);
    expect(jobs.map((j) => j.request.source.path)).toEqual([
      '/DC0/vm/golden-h0',
      '/DC0/vm/golden-h1',
      '/DC0/vm/golden-h0',
    ]);
    expect(jobs[0]?.request).toMatchObject({
      labels: { team: 'ci', 'instaclone.pool': 'ci' },
      guestinfo: { role: 'runner' },
      name: expect.stringMatching(/^ci-pool-job-\d{4}$/),
    });
    expect(jobs[0]?.request.ttlMinutes).toBeUndefined();
    expect(world.pools.items.get('ci')).toMatchObject({ outstanding: outcome.submitted, sourceCursor: 3 });
  });

  it('recomputes from the table, so a repeated trigger submits nothing more', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('ci', { source, spare: 2 });
    await world.scalePool('ci');
    // Act
    const again = await world.scalePool('ci');
    world.finish('ci');
    const afterReady = await world.scalePool('ci');
    // Assess
    expect(again).toMatchObject({ submitted: [], inFlight: 2 });
    expect(afterReady).toMatchObject({ submitted: [], ready: 2, inFlight: 0 });
    expect(world.jobsOf('ci')).toHaveLength(2);
  });

  it('submits each missing spare once when ten runs race', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('ci', { source, spare: 4 });
    // Act
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => world.scalePool('ci')));
    // Assess
    expect(world.jobsOf('ci')).toHaveLength(4);
    expect(outcomes.flatMap((o) => o.submitted)).toHaveLength(4);
    expect(outcomes.some((o) => o.outcome === 'busy')).toBe(true);
  });

  it('never lets the service exceed the vCenter concurrency cap in flight', async () => {
    // Prepare
    const world = poolWorld({ maxInFlight: 3 });
    await world.submitSpare({ source, count: 1, waitFor: 'task', version: '1' });
    await world.createPool('ci', { source, spare: 5 });
    // Act
    const first = await world.scalePool('ci');
    world.finish('ci');
    const second = await world.scalePool('ci');
    // Assess
    expect(first).toMatchObject({ heldBackBy: 'concurrency-cap' });
    expect(first.submitted).toHaveLength(2);
    expect(second.submitted).toHaveLength(2);
  });

  it('keeps claimed + spare within max and raises spares to keep min alive', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('capped', { source, spare: 3, max: 4 });
    await world.scalePool('capped');
    world.finish('capped');
    for (const job of world.jobsOf('capped').slice(0, 2)) {
      await world.claims.claimSpare(job.jobId, {
        pool: 'capped',
        claimedBy: 'x',
        leaseExpiresAt: 'z',
        now: world.clock.now(),
      });
    }
    await world.createPool('floor', { source, spare: 0, min: 2 });
    // Act
    const capped = await world.scalePool('capped');
    const floor = await world.scalePool('floor');
    // Assess
    expect(capped).toMatchObject({ claimed: 2, ready: 1 });
    expect(capped.submitted).toHaveLength(1);
    expect(floor.submitted).toHaveLength(2);
  });

  it('retires surplus spares, claiming them first so no claim can take them', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('ci', { source, spare: 3 });
    await world.scalePool('ci');
    world.finish('ci');
    await world.createPool('ci', { source, spare: 1 });
    // Act
    const outcome = await world.scalePool('ci');
    // Assess
    expect(outcome.retired).toHaveLength(2);
    const retired = world.jobsOf('ci').filter((j) => outcome.retired.includes(j.jobId));
    expect(retired.map((j) => [j.status, j.request.labels?.['instaclone.claimedBy']])).toEqual([
      ['DESTROYING', 'instaclone:retired'],
      ['DESTROYING', 'instaclone:retired'],
    ]);
    expect(world.enqueued.filter((m) => m.action === 'destroy')).toHaveLength(2);
  });

  it('marks the pool degraded and announces it once when its clones keep failing, then holds back', async () => {
    // Prepare
    const world = poolWorld({ failureThreshold: 3, backoffBaseMs: 60_000 });
    await world.createPool('broken', { source, spare: 3 });
    await world.scalePool('broken');
    // Act
    world.finish('broken', 'FAILED');
    const degraded = await world.scalePool('broken');
    const during = await world.scalePool('broken');
    // Assess
    expect(degraded).toMatchObject({ degraded: true, submitted: [], heldBackBy: 'backoff' });
    expect(during.submitted).toEqual([]);
    expect(world.jobsOf('broken')).toHaveLength(3);
    expect(world.events.ofType('Pool Degraded')).toEqual([
      {
        detailType: 'Pool Degraded',
        detail: expect.objectContaining({
          pool: 'broken',
          failureStreak: 3,
          backoffUntil: '2026-11-25T12:01:00.000Z',
          lastError: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', message: 'source is off' },
        }),
      },
    ]);
    expect(world.pools.items.get('broken')).toMatchObject({
      failureStreak: 3,
      degradedReason: expect.stringContaining('InvalidPowerState'),
    });
  });

  it('probes with one clone after the back-off and recovers when it succeeds', async () => {
    // Prepare
    const world = poolWorld({ failureThreshold: 1, backoffBaseMs: 1_000 });
    await world.createPool('flaky', { source, spare: 2 });
    await world.scalePool('flaky');
    world.finish('flaky', 'FAILED');
    await world.scalePool('flaky');
    // two failures past a threshold of one: the back-off doubled once
    world.clock.advance(2_001);
    // Act
    const probe = await world.scalePool('flaky');
    world.finish('flaky');
    const recovered = await world.scalePool('flaky');
    // Assess
    expect(probe.submitted).toHaveLength(1);
    expect(recovered).toMatchObject({ degraded: false, submitted: [expect.any(String)] });
    expect(world.pools.items.get('flaky')).toMatchObject({ failureStreak: 0 });
    expect(world.pools.items.get('flaky')?.degradedSince).toBeUndefined();
  });

  it('writes back the clones it submitted even when a later submission fails', async () => {
    // Prepare
    const world = poolWorld();
    await world.createPool('ci', { source, spare: 3 });
    let calls = 0;
    const { makeScalePool } = await import('#shared/pools/use-cases/scale-pool');
    const scalePool = makeScalePool({
      ...world,
      submitClone: async (r) => {
        if (++calls === 2) throw new Error('queue unavailable');
        return world.submitSpare(r);
      },
    });
    // Act
    const run = scalePool('ci');
    // Assess
    await expect(run).rejects.toThrow('queue unavailable');
    expect(world.pools.items.get('ci')?.outstanding).toEqual(world.jobsOf('ci').map((j) => j.jobId));
    expect(world.jobsOf('ci')).toHaveLength(1);
    expect(world.pools.items.get('ci')?.lockOwner).toBeUndefined();
  });

  it('does nothing for a pool that does not exist', async () => {
    // Act
    const outcome = await poolWorld().scalePool('nope');
    // Assess
    expect(outcome).toMatchObject({ outcome: 'no-pool', submitted: [] });
  });
});
