import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '#shared/access/model/principal';
import { VcenterUnavailableError } from '#shared/errors/app-error';
import { makeClaimFromPool, VM_NOT_OURS } from '#shared/pools/use-cases/claim-from-pool';
import { poolWorld } from './pool-world.js';

const source = { path: '/DC0/vm/golden' };

/** A pool `ci` with `spare` ready clones, each VM carrying its job id, oldest first. */
const readyPool = async (spare: number) => {
  const world = poolWorld();
  await world.createPool('ci', { source, spare, ttlMinutes: 30, max: 20 });
  await world.scalePool('ci');
  world.finish('ci');
  const claimFromPool = makeClaimFromPool(world);
  const claim = (claimedBy: string) => claimFromPool('ci', { version: '1', claimedBy }, tokenPrincipal('ci'));
  const spares = world.jobsOf('ci');
  const vmOf = (index: number) => world.cloner.vms.get(spares[index]?.vm?.moref ?? '');
  return { ...world, claim, spares, vmOf };
};

describe('Use case: claimFromPool asks vCenter before it hands out a spare', () => {
  it('passes over a spare whose VM carries another job id, retires it and leaves that VM alone', async () => {
    // Prepare: vCenter re-used the oldest spare's moref for another job's VM.
    const world = await readyPool(2);
    const [stale, good] = world.spares;
    Object.assign(world.vmOf(0) ?? {}, { extraConfig: { 'instaclone.jobId': 'someone-else' } });
    // Act
    const result = await world.claim('build-1');
    // Assess
    expect(result).toMatchObject({ source: 'spare', job: { jobId: good?.jobId } });
    expect(await world.jobs.get(stale?.jobId ?? '')).toMatchObject({
      status: 'DESTROYING',
      error: { code: VM_NOT_OURS, message: expect.stringContaining("carries another job's id"), retryable: false },
    });
    expect(world.enqueued).toContainEqual({ version: '1', jobId: stale?.jobId, action: 'destroy' });
    expect(world.vmOf(0)?.extraConfig).toEqual({ 'instaclone.jobId': 'someone-else' });
    expect(world.events.ofType('Pool Claimed')).toEqual([
      { detailType: 'Pool Claimed', detail: expect.objectContaining({ jobId: good?.jobId }) },
    ]);
  });

  it('retires a spare whose VM is gone and queues a fresh clone when no spare is left', async () => {
    // Prepare: the spare's VM vanished (a vCenter restored from backup, an operator's delete).
    const world = await readyPool(1);
    const [gone] = world.spares;
    world.cloner.vms.clear();
    // Act
    const result = await world.claim('build-2');
    // Assess
    expect(result.source).toBe('fresh');
    expect(result.job).toMatchObject({ status: 'QUEUED' });
    expect(await world.jobs.get(gone?.jobId ?? '')).toMatchObject({
      status: 'DESTROYING',
      error: { code: VM_NOT_OURS, message: expect.stringContaining('no longer exists') },
    });
  });

  it('hands out nothing unverified while vCenter cannot answer: the claim rejects and every spare stays ready', async () => {
    // Prepare
    const world = await readyPool(2);
    world.cloner.readExtraConfigError = new VcenterUnavailableError('connect ECONNREFUSED 10.0.0.5:443');
    // Act
    const claim = world.claim('build-3');
    // Assess
    await expect(claim).rejects.toBeInstanceOf(VcenterUnavailableError);
    for (const spare of world.spares)
      expect(await world.jobs.get(spare.jobId)).toMatchObject({ status: 'SUCCEEDED', version: spare.version });
    expect(world.events.ofType('Pool Claimed')).toEqual([]);
    expect(world.enqueued.filter((m) => m.action === 'destroy')).toEqual([]);
  });

  it('lets concurrent claims that meet the same stale spare both go on to good ones', async () => {
    // Prepare
    const world = await readyPool(3);
    Object.assign(world.vmOf(0) ?? {}, { extraConfig: { 'instaclone.jobId': 'someone-else' } });
    // Act
    const results = await Promise.all([world.claim('a'), world.claim('b')]);
    // Assess
    expect(results.map((r) => r.job.jobId).sort()).toEqual([world.spares[1]?.jobId, world.spares[2]?.jobId].sort());
    expect(results.map((r) => r.source)).toEqual(['spare', 'spare']);
    expect(await world.jobs.get(world.spares[0]?.jobId ?? '')).toMatchObject({ status: 'DESTROYING' });
  });
});
