import { describe, expect, it } from 'vitest';
import { PolicySchema } from '#shared/access/model/policy';
import { tokenPrincipal } from '#shared/access/model/principal';
import { internalAccess, makeAccessGuard } from '#shared/access/use-cases/access-guard';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { inMemoryJobMacs } from '#test/fakes/in-memory-mac-registry';
import { InMemoryQuotaLedger } from '#test/fakes/in-memory-quota-ledger';

const policy = PolicySchema.parse({
  version: '1',
  rules: [
    {
      id: 'ci',
      principals: [{ id: 'token:ci' }],
      actions: ['clone'],
      resources: { sources: ['vm-57'] },
      limits: { liveClones: 3 },
    },
  ],
});
const guarded = (jobs: InMemoryJobRepository, ledger: InMemoryQuotaLedger, sent: string[]) => {
  let n = 0;
  const clock = fixedClock();
  return makeSubmitClone({
    jobs,
    queue: { enqueue: async (m) => void sent.push(m.jobId) },
    clock,
    macs: inMemoryJobMacs(jobs, clock).macs,
    ids: { jobId: () => `job-${++n}` },
    access: makeAccessGuard({ policy, ledger, recorder: { denied: () => {} }, clock: fixedClock() }),
  });
};

describe('Use case: submitClone', () => {
  it('stores a QUEUED job before enqueueing its id', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const clock = fixedClock();
    const sent: Array<CloneMessageInput & { stored: boolean }> = [];
    const submit = makeSubmitClone({
      jobs,
      queue: { enqueue: async (m) => void sent.push({ ...m, stored: jobs.items.has(m.jobId) }) },
      clock,
      macs: inMemoryJobMacs(jobs, clock).macs,
      ids: { jobId: () => 'job-0001' },
      access: internalAccess('test'),
    });
    // Act
    const [job] = await submit(CloneRequestSchema.parse({ source: { moref: 'vm-57' } }), tokenPrincipal('alice'));
    // Assess
    expect(job).toMatchObject({
      jobId: 'job-0001',
      status: 'QUEUED',
      version: 1,
      vmName: 'instaclone-job-0001',
      requestedBy: { id: 'token:alice' },
      grant: { rule: 'test' },
    });
    expect(sent).toEqual([{ version: '1', jobId: 'job-0001', stored: true }]);
  });

  it('keeps the job QUEUED when the queue is down, so the reconciler can re-drive it', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const clock = fixedClock();
    const submit = makeSubmitClone({
      jobs,
      queue: { enqueue: async () => Promise.reject(new Error('queue down')) },
      clock,
      macs: inMemoryJobMacs(jobs, clock).macs,
      ids: { jobId: () => 'job-0002' },
      access: internalAccess('test'),
    });
    // Act
    const attempt = submit(CloneRequestSchema.parse({ source: { moref: 'vm-57' }, name: 'ci-1' }), tokenPrincipal('a'));
    // Assess
    await expect(attempt).rejects.toThrow('queue down');
    expect(jobs.items.get('job-0002')).toMatchObject({ status: 'QUEUED', vmName: 'ci-1' });
  });

  it('stores and queues nothing when the policy refuses, and charges nothing', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const ledger = new InMemoryQuotaLedger();
    const sent: string[] = [];
    const submit = guarded(jobs, ledger, sent);
    // Act
    const denied = submit(CloneRequestSchema.parse({ source: { moref: 'vm-1' } }), tokenPrincipal('ci'));
    // Assess
    await expect(denied).rejects.toMatchObject({ code: 'ACCESS_DENIED', rule: 'ci' });
    expect(jobs.items.size).toBe(0);
    expect(sent).toEqual([]);
    expect(ledger.counters.size).toBe(0);
  });

  it('gives back the quota of the jobs it could not store', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const ledger = new InMemoryQuotaLedger();
    const submit = guarded(jobs, ledger, []);
    jobs.create = async () => Promise.reject(new Error('table down'));
    // Act
    const attempt = submit(CloneRequestSchema.parse({ source: { moref: 'vm-57' }, count: 2 }), tokenPrincipal('ci'));
    // Assess
    await expect(attempt).rejects.toThrow('table down');
    expect(await ledger.usage('rule#ci#token:ci')).toMatchObject({ live: [], active: [] });
  });

  it('gives back the quota when a MAC is refused, and stores nothing', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const ledger = new InMemoryQuotaLedger();
    const sent: string[] = [];
    const submit = guarded(jobs, ledger, sent);
    const body = { source: { moref: 'vm-57' }, nics: [{ key: 4000, mac: '00:50:56:3a:12:35' }] };
    await submit(CloneRequestSchema.parse(body), tokenPrincipal('ci'));
    // Act
    const refused = submit(CloneRequestSchema.parse(body), tokenPrincipal('ci'));
    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'MAC_IN_USE' });
    expect([...jobs.items.keys()]).toEqual(['job-1']);
    expect(sent).toEqual(['job-1']);
    expect(await ledger.usage('rule#ci#token:ci')).toMatchObject({ live: ['job-1'], active: ['job-1'] });
  });
});
