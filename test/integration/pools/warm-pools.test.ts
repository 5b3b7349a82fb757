import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import type { PoolView } from '#shared/pools/model/pool-view';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ poolScaleMs: 60_000 });
  api = apiClient(stack);
});
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const poolJobs = async (pool: string): Promise<CloneJobView[]> => {
  const jobs: CloneJobView[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call(
      'GET',
      `/v1/clones?label=instaclone.pool=${pool}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    jobs.push(...(page.json.jobs as CloneJobView[]));
    cursor = page.json.cursor as string | undefined;
  } while (cursor);
  return jobs;
};

const waitForPool = async (name: string, done: (p: PoolView) => boolean, timeoutMs = 10_000): Promise<PoolView> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pool = (await api.call('GET', `/v1/pools/${name}`)).json as unknown as PoolView;
    if (done(pool)) return pool;
    if (Date.now() > until) throw new Error(`pool ${name} never got there: ${JSON.stringify(pool.status)}`);
    await sleep(50);
  }
};
const settled = (spare: number) => (p: PoolView) => p.status.ready === spare && p.status.inFlight === 0;

const poolEvents = (type: string, pool: string) =>
  stack.bus.published.filter((e) => e['detail-type'] === type && e.detail.pool === pool);

describe('Warm pools through the local stack', () => {
  it('converges a pool with spare 3 to 3 ready clones', async () => {
    // Act
    const put = await api.call('PUT', '/v1/pools/warm', { source: { path: '/DC0/vm/DC0_H0_VM0' }, spare: 3, max: 20 });
    const pool = await waitForPool('warm', settled(3));
    // Assess
    expect(put.status).toBe(201);
    expect(pool.status).toMatchObject({ ready: 3, inFlight: 0, claimed: 0, degraded: false });
    const jobs = await poolJobs('warm');
    expect(jobs.map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    for (const job of jobs)
      expect(stack.vcsim?.sim.getVm(job.vm?.moref ?? '')).toMatchObject({ powerState: 'poweredOn' });
  });

  it('hands 10 concurrent claims 10 distinct VMs, 3 ready and 7 fresh, then converges back', async () => {
    // Prepare
    await waitForPool('warm', settled(3));
    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.call('POST', '/v1/pools/warm/claim', { claimedBy: `ci-${i}` })),
    );
    const clones = answers.map((a) => a.json.clone as CloneJobView);
    const finished = await Promise.all(clones.map((c) => api.waitForFinished(c.jobId)));
    const pool = await waitForPool('warm', (p) => settled(3)(p) && p.status.claimed === 10);
    // Assess
    expect(answers.filter((a) => a.status === 200 && a.json.source === 'spare')).toHaveLength(3);
    expect(answers.filter((a) => a.status === 202 && a.json.source === 'fresh')).toHaveLength(7);
    expect(finished.map((j) => j.status)).toEqual(Array(10).fill('SUCCEEDED'));
    expect(new Set(finished.map((j) => j.vm?.moref)).size).toBe(10);
    expect(finished.map((j) => j.labels['instaclone.claimedBy']).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `ci-${i}`).sort(),
    );
    expect(finished.every((j) => j.leaseExpiresAt !== undefined)).toBe(true);
    expect(pool.status).toMatchObject({ ready: 3, claimed: 10 });
    expect(poolEvents('Pool Claimed', 'warm')).toHaveLength(10);
  });

  it('destroys a released clone, announces Pool Released and keeps the spares', async () => {
    // Prepare
    const claimed = await api.call('POST', '/v1/pools/warm/claim', { claimedBy: 'releaser' });
    const clone = await api.waitForFinished((claimed.json.clone as CloneJobView).jobId);
    // Act
    const released = await api.call('POST', '/v1/pools/warm/release', { jobId: clone.jobId });
    const destroyed = await api.waitFor(clone.jobId, (j) => j.status === 'DESTROYED');
    const spare = await api.call('POST', '/v1/pools/warm/release', {
      jobId: (await poolJobs('warm')).find((j) => !j.labels['instaclone.claimedBy'])?.jobId,
    });
    // Assess
    expect(released).toMatchObject({ status: 202, json: { pool: 'warm', clone: { status: 'DESTROYING' } } });
    expect(destroyed.status).toBe('DESTROYED');
    expect(poolEvents('Pool Released', 'warm').map((e) => e.detail.jobId)).toEqual([clone.jobId]);
    expect(spare).toMatchObject({ status: 409, json: { error: { code: 'NOT_CLAIMED' } } });
    await waitForPool('warm', settled(3));
  });

  it('creates no extra clones under duplicate scaler events', async () => {
    // Act: the pool is created while a burst of duplicate scale requests arrives
    const put = api.call('PUT', '/v1/pools/dup', { source: { path: '/DC0/vm/DC0_H0_VM1' }, spare: 2, max: 5 });
    const burst = Array.from({ length: 3 }, () =>
      stack.bus.client().send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, () => ({
            EventBusName: 'instaclone',
            Source: 'ci.alarms',
            DetailType: 'Pool Scale Requested',
            Detail: JSON.stringify({ version: '1', pool: 'dup', reason: 'queue depth' }),
          })),
        }),
      ),
    );
    await Promise.all([put, ...burst]);
    await waitForPool('dup', settled(2));
    const succeededOfDup = () =>
      stack.bus.published.filter(
        (e) =>
          e['detail-type'] === 'Clone Succeeded' &&
          (e.detail.labels as Record<string, string>)['instaclone.pool'] === 'dup',
      );
    // A job is SUCCEEDED in the table a moment before its event is on the bus.
    while (succeededOfDup().length < 2) await sleep(20);
    const succeeded = succeededOfDup();
    // the same completion events once more, as an at-least-once bus may deliver them
    await stack.bus.client().send(
      new PutEventsCommand({
        Entries: succeeded.map((e) => ({
          EventBusName: 'instaclone',
          Source: 'instaclone',
          DetailType: 'Clone Succeeded',
          Detail: JSON.stringify(e.detail),
        })),
      }),
    );
    await sleep(500);
    // Assess
    expect(await poolJobs('dup')).toHaveLength(2);
  });

  it('marks a pool whose source fails degraded instead of cloning in a loop', async () => {
    // Prepare
    const source = stack.vcsim?.sim.findVmByName('DC0_C0_RP0_VM1');
    stack.vcsim?.sim.setPowerState(source?.moref ?? '', 'poweredOff');
    // Act
    await api.call('PUT', '/v1/pools/broken', { source: { moref: source?.moref }, spare: 3 });
    const pool = await waitForPool('broken', (p) => p.status.degraded);
    const claim = await api.call('POST', '/v1/pools/broken/claim', {});
    await sleep(1000);
    // Assess
    const jobs = await poolJobs('broken');
    expect(pool.status).toMatchObject({ degraded: true, failureStreak: 3 });
    expect(pool.status.degradedReason).toContain('InvalidPowerState');
    expect(jobs.filter((j) => j.labels['instaclone.claimedBy'] === undefined).map((j) => j.status)).toEqual([
      'FAILED',
      'FAILED',
      'FAILED',
    ]);
    expect(poolEvents('Pool Degraded', 'broken')).toHaveLength(1);
    expect(claim).toMatchObject({ status: 503, json: { error: { code: 'POOL_DEGRADED' } } });
    expect(jobs).toHaveLength(3);
  });
});
