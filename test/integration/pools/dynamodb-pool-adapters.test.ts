import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { DynamoDbPoolClaims } from '#shared/clones/adapters/dynamodb-pool-claims';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { DynamoDbPoolRepository } from '#shared/pools/adapters/dynamodb-pool-repository';
import { PoolSpecSchema } from '#shared/pools/model/pool';

let dynamo: DynamoDbEmulator;
let pools: DynamoDbPoolRepository;
let jobs: DynamoDbJobRepository;
let claims: DynamoDbPoolClaims;
const now = new Date('2026-11-25T12:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const spec = PoolSpecSchema.parse({ source: { path: '/DC0/vm/golden' }, spare: 2 });
const state = { outstanding: ['job-1'], failureStreak: 0, sourceCursor: 1, lastScaledAt: now.toISOString() };

const spareJob = (jobId: string, pool: string): CloneJob => ({
  jobId,
  status: 'SUCCEEDED',
  announced: 'SUCCEEDED',
  version: 1,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' }, labels: { 'instaclone.pool': pool } }),
  vmName: `instaclone-${jobId}`,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

beforeAll(async () => {
  dynamo = await startDynamoDbEmulator();
  pools = new DynamoDbPoolRepository(dynamo.client(), dynamo.tableName);
  jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
  claims = new DynamoDbPoolClaims(dynamo.client(), dynamo.tableName);
});
afterAll(() => dynamo.close());

describe('Adapter: DynamoDbPoolRepository on dynalite', () => {
  it('creates, replaces, lists and deletes pools without touching job listings', async () => {
    // Act
    const created = await pools.put('alpha', spec, now);
    const replaced = await pools.put('alpha', { ...spec, spare: 5 }, later(1));
    await pools.put('beta', spec, now);
    const listed = await pools.list();
    const queued = await jobs.listByStatus('QUEUED', { limit: 10 });
    const deleted = [await pools.delete('beta'), await pools.delete('beta')];
    // Assess
    expect(created).toMatchObject({ created: true, pool: { name: 'alpha', version: 1, epoch: 0, outstanding: [] } });
    expect(replaced).toMatchObject({
      created: false,
      pool: { version: 2, spec: { spare: 5 }, createdAt: now.toISOString() },
    });
    expect(listed.map((p) => p.name)).toEqual(['alpha', 'beta']);
    expect(queued.jobs).toEqual([]);
    expect(deleted).toEqual([true, false]);
  });

  it('gives the scaling lease to one run; a second is busy, marks the pool dirty and the holder sees it', async () => {
    // Prepare
    await pools.put('lease', spec, now);
    // Act
    const first = await pools.acquireScaling('lease', { owner: 'a', now, leaseMs: 60_000 });
    const second = await pools.acquireScaling('lease', { owner: 'b', now: later(10), leaseMs: 60_000 });
    await pools.markDirty('lease');
    const released = await pools.releaseScaling('lease', 'a', { ...state, backoffUntil: later(5).toISOString() });
    const stored = await pools.get('lease');
    const lostRelease = await pools.releaseScaling('lease', 'b', state);
    // Assess
    expect(first).toMatchObject({ lockOwner: 'a', epoch: 1 });
    expect(second).toBe('busy');
    expect(released).toEqual({ dirty: true, lost: false });
    expect(stored).toMatchObject({ outstanding: ['job-1'], sourceCursor: 1, backoffUntil: later(5).toISOString() });
    expect(stored?.lockOwner).toBeUndefined();
    expect(lostRelease).toEqual({ dirty: false, lost: true });
  });

  it('lets another run take an expired lease, and answers undefined for a missing pool', async () => {
    // Prepare
    await pools.put('expired', spec, now);
    await pools.acquireScaling('expired', { owner: 'a', now, leaseMs: 1_000 });
    // Act
    const taken = await pools.acquireScaling('expired', { owner: 'b', now: later(2_000), leaseMs: 1_000 });
    const missing = await pools.acquireScaling('none', { owner: 'c', now, leaseMs: 1_000 });
    // Assess
    expect(taken).toMatchObject({ lockOwner: 'b', epoch: 2 });
    expect(missing).toBeUndefined();
  });
});

describe('Adapter: DynamoDbPoolClaims on dynalite', () => {
  it('claims a ready spare once: labels it, starts its lease and bumps its version', async () => {
    // Prepare
    await jobs.create(spareJob('spare-0001', 'alpha'));
    const claim = { pool: 'alpha', claimedBy: 'ci-1', leaseExpiresAt: later(60_000).toISOString(), now };
    // Act
    const results = await Promise.all(
      [1, 2, 3].map((i) => claims.claimSpare('spare-0001', { ...claim, claimedBy: `ci-${i}` })),
    );
    // Assess
    const won = results.filter((r) => r !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({
      version: 2,
      leaseExpiresAt: claim.leaseExpiresAt,
      request: { labels: { 'instaclone.pool': 'alpha' } },
    });
    expect(Object.keys(won[0] ?? {})).not.toContain('pk');
    expect((await jobs.get('spare-0001'))?.request.labels?.['instaclone.claimedBy']).toMatch(/^ci-\d$/);
  });

  it('refuses a clone of another pool, one not announced yet and one to be destroyed', async () => {
    // Prepare
    await jobs.create(spareJob('spare-0002', 'beta'));
    await jobs.create({ ...spareJob('spare-0003', 'alpha'), announced: 'RUNNING' });
    await jobs.create({ ...spareJob('spare-0004', 'alpha'), destroyRequested: true });
    const claim = { pool: 'alpha', claimedBy: 'x', leaseExpiresAt: now.toISOString(), now };
    // Act
    const results = await Promise.all(
      ['spare-0002', 'spare-0003', 'spare-0004', 'no-such'].map((id) => claims.claimSpare(id, claim)),
    );
    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('adds a claim’s extra labels in the same write, never replacing the pool or claim labels', async () => {
    // Prepare
    await jobs.create(spareJob('spare-0005', 'alpha'));
    const labels = { 'github.pool': 'linux', 'github.job-id': '42', 'instaclone.pool': 'other' };
    const claim = { pool: 'alpha', claimedBy: 'github-job-42', leaseExpiresAt: now.toISOString(), now, labels };
    // Act
    const claimed = await claims.claimSpare('spare-0005', claim);
    // Assess
    expect(claimed?.request.labels).toEqual({
      'instaclone.pool': 'alpha',
      'instaclone.claimedBy': 'github-job-42',
      'github.pool': 'linux',
      'github.job-id': '42',
    });
  });
});
