import { describe, expect, it } from 'vitest';
import { type Principal, tokenPrincipal } from '#shared/access/model/principal';
import { makeReapExpiredLeases } from '#shared/clones/use-cases/reap-expired-leases';
import { JobNotFoundError } from '#shared/errors/app-error';
import { NotClaimedError, NotInPoolError, PoolDegradedError, PoolNotFoundError } from '#shared/pools/model/pool-errors';
import { makeClaimFromPool } from '#shared/pools/use-cases/claim-from-pool';
import { makeDeletePool } from '#shared/pools/use-cases/delete-pool';
import { announcingExpiredClaims, makeReleasePoolClone } from '#shared/pools/use-cases/release-pool-clone';
import { poolWorld } from './pool-world.js';

const source = { path: '/DC0/vm/golden' };

const readyPool = async (spare: number, ttlMinutes = 30) => {
  const world = poolWorld();
  await world.createPool('ci', { source, spare, ttlMinutes, max: 20 });
  await world.scalePool('ci');
  world.finish('ci');
  const claimFromPool = makeClaimFromPool(world);
  const claim = (name: string, request: { version: '1'; claimedBy: string }, by: Principal = tokenPrincipal('ci')) =>
    claimFromPool(name, request, by);
  const release = makeReleasePoolClone(world);
  return { ...world, claim, release };
};

describe('Use case: claimFromPool', () => {
  it('hands out the oldest ready spare, labelled with the claimer and leased for the pool ttl', async () => {
    // Prepare
    const world = await readyPool(2);
    const oldest = world.jobsOf('ci')[0];
    // Act
    const result = await world.claim('ci', { version: '1', claimedBy: 'build-42' });
    // Assess
    expect(result).toMatchObject({ source: 'spare', job: { jobId: oldest?.jobId, status: 'SUCCEEDED' } });
    expect(result.job.request.labels).toMatchObject({ 'instaclone.pool': 'ci', 'instaclone.claimedBy': 'build-42' });
    expect(result.job.leaseExpiresAt).toBe('2026-11-25T12:30:00.000Z');
    expect(result.job.requestedBy).toEqual(tokenPrincipal('ci'));
    expect(world.events.ofType('Pool Claimed')).toEqual([
      {
        detailType: 'Pool Claimed',
        detail: expect.objectContaining({ pool: 'ci', jobId: oldest?.jobId, claimedBy: 'build-42', source: 'spare' }),
      },
    ]);
  });

  it('never gives two concurrent claims the same clone and falls back to fresh clones when spares run out', async () => {
    // Prepare
    const world = await readyPool(3);
    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => world.claim('ci', { version: '1', claimedBy: `c${i}` })),
    );
    // Assess
    expect(new Set(results.map((r) => r.job.jobId)).size).toBe(10);
    expect(results.filter((r) => r.source === 'spare')).toHaveLength(3);
    const fresh = results.filter((r) => r.source === 'fresh');
    expect(fresh).toHaveLength(7);
    expect(fresh[0]?.job).toMatchObject({
      status: 'QUEUED',
      request: { ttlMinutes: 30, labels: { 'instaclone.pool': 'ci', 'instaclone.claimedBy': expect.any(String) } },
    });
  });

  it('skips spares that are not announced yet or are to be destroyed', async () => {
    // Prepare
    const world = await readyPool(2);
    const [first, second] = world.jobsOf('ci');
    world.jobs.items.set(first?.jobId ?? '', { ...(first as NonNullable<typeof first>), announced: 'RUNNING' });
    world.jobs.items.set(second?.jobId ?? '', { ...(second as NonNullable<typeof second>), destroyRequested: true });
    // Act
    const result = await world.claim('ci', { version: '1', claimedBy: 'x' });
    // Assess
    expect(result.source).toBe('fresh');
  });

  it('answers a degraded pool without spares with PoolDegradedError instead of a clone bound to fail', async () => {
    // Prepare
    const world = await readyPool(0);
    const pool = world.pools.items.get('ci');
    if (pool)
      Object.assign(pool, { degradedSince: 'x', degradedReason: 'off', backoffUntil: '2026-11-25T12:01:00.000Z' });
    // Act
    const during = await world.claim('ci', { version: '1', claimedBy: 'x' }).catch((err: unknown) => err);
    world.clock.advance(61_000);
    const after = await world.claim('ci', { version: '1', claimedBy: 'x' });
    // Assess
    expect(during).toBeInstanceOf(PoolDegradedError);
    expect(after.source).toBe('fresh');
  });

  it('rejects a claim on a pool that does not exist', async () => {
    // Act
    const claim = (await readyPool(0)).claim('nope', { version: '1', claimedBy: 'x' });
    // Assess
    await expect(claim).rejects.toBeInstanceOf(PoolNotFoundError);
  });
});

describe('Use case: releasePoolClone', () => {
  it('destroys a claimed clone through the DELETE use case and announces Pool Released', async () => {
    // Prepare
    const world = await readyPool(1);
    const { job } = await world.claim('ci', { version: '1', claimedBy: 'build-7' });
    // Act
    const released = await world.release('ci', job.jobId);
    // Assess
    expect(released.status).toBe('DESTROYING');
    expect(world.enqueued).toContainEqual({ version: '1', jobId: job.jobId, action: 'destroy' });
    expect(world.events.ofType('Pool Released')).toEqual([
      {
        detailType: 'Pool Released',
        detail: expect.objectContaining({ pool: 'ci', jobId: job.jobId, claimedBy: 'build-7', reason: 'released' }),
      },
    ]);
  });

  it('announces Pool Released when a claim’s lease runs out, and nothing for spares or other jobs', async () => {
    // Prepare: one of two spares claimed; 31 minutes later its 30-minute lease is over.
    const world = await readyPool(2);
    const { job } = await world.claim('ci', { version: '1', claimedBy: 'build-8' });
    world.clock.advance(31 * 60_000);
    const reap = makeReapExpiredLeases({ ...world, requestDestroy: announcingExpiredClaims(world) });
    // Act
    const reaped = await reap();
    // Assess
    expect(reaped).toEqual([job.jobId]);
    expect(world.events.ofType('Pool Released')).toEqual([
      {
        detailType: 'Pool Released',
        detail: expect.objectContaining({
          pool: 'ci',
          jobId: job.jobId,
          claimedBy: 'build-8',
          reason: 'lease expired',
        }),
      },
    ]);
  });

  it('refuses to release a spare, a clone of another pool or an unknown job', async () => {
    // Prepare
    const world = await readyPool(1);
    const spare = world.jobsOf('ci')[0]?.jobId ?? '';
    // Act + Assess
    await expect(world.release('ci', spare)).rejects.toBeInstanceOf(NotClaimedError);
    await expect(world.release('other', spare)).rejects.toBeInstanceOf(NotInPoolError);
    await expect(world.release('ci', 'job-none')).rejects.toBeInstanceOf(JobNotFoundError);
  });
});

describe('Use case: deletePool', () => {
  it('removes the pool, destroys its spares and leaves claimed clones to their lease', async () => {
    // Prepare
    const world = await readyPool(3);
    const { job: claimed } = await world.claim('ci', { version: '1', claimedBy: 'keep' });
    // Act
    const result = await makeDeletePool(world)('ci');
    // Assess
    expect(result.retired).toHaveLength(2);
    expect(world.pools.items.has('ci')).toBe(false);
    expect(world.jobs.items.get(claimed.jobId)?.status).toBe('SUCCEEDED');
    expect(world.jobsOf('ci').filter((j) => j.status === 'DESTROYING')).toHaveLength(2);
    expect(await world.scalePool('ci')).toMatchObject({ outcome: 'no-pool' });
  });
});
