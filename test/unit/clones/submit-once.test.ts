import { describe, expect, it } from 'vitest';
import { PolicySchema } from '#shared/access/model/policy';
import { tokenPrincipal } from '#shared/access/model/principal';
import { makeAccessGuard } from '#shared/access/use-cases/access-guard';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import type { SubmissionKey } from '#shared/clones/model/submission-key';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { makeSubmitOnce } from '#shared/clones/use-cases/submit-once';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { InMemoryQuotaLedger } from '#test/fakes/in-memory-quota-ledger';
import { InMemorySubmissionLedger } from '#test/fakes/in-memory-submission-ledger';

const key = (value: string, kind: SubmissionKey['kind'] = 'idempotency-key'): SubmissionKey => ({
  kind,
  value,
  ttlSeconds: 3600,
});

const ALICE = tokenPrincipal('alice');
/** Alice and Bob may clone vm-1 and vm-2 (Carol nothing), 200 live clones each. */
const policy = PolicySchema.parse({
  version: '1',
  rules: [
    {
      id: 'cloners',
      principals: [{ id: 'token:alice' }, { id: 'token:bob' }],
      actions: ['clone'],
      resources: { sources: ['vm-1', 'vm-2'] },
      limits: { liveClones: 200 },
    },
  ],
});

/** submitOnce over in-memory fakes; `failEnqueueAfter` makes the queue fail from that message on (a crash). */
const world = (options: { failEnqueueAfter?: number } = {}) => {
  const jobs = new InMemoryJobRepository();
  const ledger = new InMemorySubmissionLedger();
  const clock = fixedClock();
  const enqueued: string[] = [];
  let n = 0;
  const ids = { jobId: () => `job-${String(++n).padStart(4, '0')}` };
  let failAfter = options.failEnqueueAfter;
  const queue = {
    enqueue: async (m: { jobId: string }) => {
      if (failAfter !== undefined && enqueued.length >= failAfter) throw new Error('crash');
      enqueued.push(m.jobId);
    },
  };
  const quota = new InMemoryQuotaLedger();
  const access = makeAccessGuard({ policy, ledger: quota, recorder: { denied: () => {} }, clock });
  const submit = makeSubmitClone({ jobs, queue, clock, ids, access, macs: inMemoryJobMacs(jobs, clock).macs });
  const submitOnce = makeSubmitOnce({ ledger, jobs, queue, submit, clock, ids, access });
  return { jobs, ledger, quota, clock, enqueued, submitOnce, heal: () => (failAfter = undefined) };
};

describe('Use case: submitOnce', () => {
  it('answers every retry with the same jobs and makes them once, remembering only their ids', async () => {
    // Prepare
    const { jobs, ledger, enqueued, submitOnce } = world();
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' }, count: 3 });
    // Act
    const first = await submitOnce(request, ALICE, [key('k1')]);
    const retries = await Promise.all([
      submitOnce(request, ALICE, [key('k1')]),
      submitOnce(request, ALICE, [key('k1')]),
    ]);
    // Assess
    const ids = first.map((j) => j.jobId);
    expect(retries.map((r) => r.map((j) => j.jobId))).toEqual([ids, ids]);
    expect(jobs.items.size).toBe(3);
    expect(new Set(enqueued)).toEqual(new Set(ids));
    expect([...ledger.records.values()]).toEqual([
      { fingerprint: expect.any(String), jobIds: ids, expiresAt: expect.any(Number) },
    ]);
  });

  it('treats the same request with its map keys in another order as the same request', async () => {
    // Prepare
    const { submitOnce } = world();
    const a = CloneRequestSchema.parse({ source: { moref: 'vm-1' }, labels: { a: '1', b: '2' } });
    const b = CloneRequestSchema.parse({ labels: { b: '2', a: '1' }, source: { moref: 'vm-1' } });
    // Act
    const [first] = await submitOnce(a, ALICE, [key('k2')]);
    const [again] = await submitOnce(b, ALICE, [key('k2')]);
    // Assess
    expect(again?.jobId).toBe(first?.jobId);
  });

  it('refuses the same key with another request with IDEMPOTENCY_CONFLICT, making nothing', async () => {
    // Prepare
    const { jobs, submitOnce } = world();
    await submitOnce(CloneRequestSchema.parse({ source: { moref: 'vm-1' } }), ALICE, [key('k3')]);
    // Act
    const attempt = submitOnce(CloneRequestSchema.parse({ source: { moref: 'vm-2' } }), ALICE, [key('k3')]);
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(jobs.items.size).toBe(1);
  });

  it('finishes a submission that stopped halfway when it is retried (every job enqueued), making no second set', async () => {
    // Prepare: the first attempt stores all 100 jobs but enqueues only 40 before it fails
    const { jobs, enqueued, submitOnce, heal } = world({ failEnqueueAfter: 40 });
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' }, count: 100 });
    await expect(submitOnce(request, ALICE, [key('k4')])).rejects.toThrow('crash');
    heal();
    // Act
    const retried = await submitOnce(request, ALICE, [key('k4')]);
    // Assess
    expect(retried).toHaveLength(100);
    expect(jobs.items.size).toBe(100);
    expect(new Set(retried.map((j) => j.jobId))).toEqual(new Set(jobs.items.keys()));
    expect(new Set(enqueued)).toEqual(new Set(jobs.items.keys()));
  });

  it('lets a later key adopt the jobs an earlier key holds (a signature replayed with a fresh Idempotency-Key)', async () => {
    // Prepare
    const { jobs, submitOnce } = world();
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' } });
    const [first] = await submitOnce(request, ALICE, [key('sig-1', 'signature')]);
    // Act
    const [replay] = await submitOnce(request, ALICE, [key('fresh-key'), key('sig-1', 'signature')]);
    // Assess
    expect(replay?.jobId).toBe(first?.jobId);
    expect(jobs.items.size).toBe(1);
  });

  it('refuses a request over its size budget with PAYLOAD_TOO_LARGE before remembering anything', async () => {
    // Prepare
    const { ledger, jobs, submitOnce } = world();
    const guestinfo = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, 'x'.repeat(64 * 1024)]));
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' }, guestinfo });
    // Act
    const attempt = submitOnce(request, ALICE, [key('k5')]);
    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      issues: [{ field: 'guestinfo' }],
    });
    expect(ledger.records.size).toBe(0);
    expect(jobs.items.size).toBe(0);
  });

  it('refuses what the policy refuses before remembering anything', async () => {
    // Prepare
    const { ledger, jobs, quota, submitOnce } = world();
    // Act
    const attempt = submitOnce(CloneRequestSchema.parse({ source: { moref: 'vm-1' } }), tokenPrincipal('carol'), [
      key('k6'),
    ]);
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'ACCESS_DENIED', rule: null });
    expect(ledger.records.size).toBe(0);
    expect(jobs.items.size).toBe(0);
    expect(quota.counters.size).toBe(0);
  });

  it('keeps one caller’s Idempotency-Key from answering with another caller’s jobs', async () => {
    // Prepare
    const { jobs, submitOnce } = world();
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-1' } });
    // Act
    const [alices] = await submitOnce(request, ALICE, [key('shared-key')]);
    const [bobs] = await submitOnce(request, tokenPrincipal('bob'), [key('shared-key')]);
    // Assess
    expect(bobs?.jobId).not.toBe(alices?.jobId);
    expect(bobs?.requestedBy?.id).toBe('token:bob');
    expect(jobs.items.size).toBe(2);
  });

  it('charges a retried submission’s jobs to the quota once', async () => {
    // Prepare
    const { quota, submitOnce, heal } = world({ failEnqueueAfter: 1 });
    const request = CloneRequestSchema.parse({ source: { moref: 'vm-2' }, count: 3 });
    await expect(submitOnce(request, ALICE, [key('k7')])).rejects.toThrow('crash');
    heal();
    // Act
    await submitOnce(request, ALICE, [key('k7')]);
    // Assess
    expect((await quota.usage('rule#cloners#token:alice')).live).toHaveLength(3);
  });
});
