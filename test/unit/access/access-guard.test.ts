import { describe, expect, it } from 'vitest';
import { AccessDeniedError, QuotaExceededError } from '#shared/access/model/access-errors';
import type { CloneTarget } from '#shared/access/model/clone-target';
import { PolicySchema } from '#shared/access/model/policy';
import { githubPrincipal, servicePrincipal, slackPrincipal, tokenPrincipal } from '#shared/access/model/principal';
import type { Denial } from '#shared/access/ports/denial-recorder';
import { makeAccessGuard } from '#shared/access/use-cases/access-guard';
import { makeRepairQuotas, makeSettleQuota } from '#shared/access/use-cases/settle-quota';
import { InMemoryQuotaLedger } from '#test/fakes/in-memory-quota-ledger';

const now = new Date('2026-12-01T12:00:00.000Z');
const clock = { now: () => now };
const policy = PolicySchema.parse({
  version: '1',
  rules: [
    {
      id: 'ci',
      principals: [{ id: 'token:ci' }],
      actions: ['clone', 'read'],
      resources: { sources: ['/DC0/vm/golden/'] },
      limits: { liveClones: 2 },
    },
  ],
});
const request = (overrides: Partial<CloneTarget & { labels: Record<string, string> }> = {}) => ({
  source: { path: '/DC0/vm/golden/web' },
  count: 1,
  waitFor: 'task' as const,
  ...overrides,
});

const world = (withPolicy = true) => {
  const ledger = new InMemoryQuotaLedger();
  const denials: Denial[] = [];
  const guard = makeAccessGuard({
    policy: withPolicy ? policy : undefined,
    ledger,
    recorder: { denied: (d) => denials.push(d) },
    clock,
  });
  return { ledger, denials, guard };
};

describe('Use case: access guard', () => {
  it('admits a granted clone, charging its jobs to the rule’s counter, and records the grant', async () => {
    // Prepare
    const { guard, ledger } = world();
    // Act
    const grant = await guard.admitClone(tokenPrincipal('ci'), request({ count: 2 }), ['j1', 'j2']);
    // Assess
    expect(grant).toEqual({ rule: 'ci', quotaKey: 'rule#ci#token:ci' });
    expect((await ledger.usage('rule#ci#token:ci')).live).toEqual(['j1', 'j2']);
  });

  it('refuses beyond the live-clone limit with a QuotaExceededError naming the rule and the limit, and records it', async () => {
    // Prepare
    const { guard, denials } = world();
    await guard.admitClone(tokenPrincipal('ci'), request({ count: 2 }), ['j1', 'j2']);
    // Act
    const error = await guard.admitClone(tokenPrincipal('ci'), request(), ['j3']).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ rule: 'ci', issues: [{ field: 'liveClones' }] });
    expect(denials).toEqual([expect.objectContaining({ rule: 'ci', field: 'liveClones', kind: 'quota' })]);
  });

  it.each([
    ['an API caller', tokenPrincipal('ci')],
    ['a Slack user', slackPrincipal('T1', 'U1')],
  ])('refuses github.* labels from %s even with no policy, before the ledger is touched', async (_, principal) => {
    // Prepare
    const { guard, ledger, denials } = world(false);
    const labels = { 'github.pool': 'linux', 'github.repo': 'victim-org/private-repo' };
    // Act
    const error = await guard.admitClone(principal, request({ labels }), ['j1']).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ rule: 'reserved-namespace', issues: [{ field: 'labels.github.pool' }] });
    expect(ledger.counters.size).toBe(0);
    expect(denials).toHaveLength(1);
  });

  it('lets each signed path set its own namespace: github.* from GitHub, slack.* from Slack, instaclone.* the service', async () => {
    // Prepare
    const { guard } = world(false);
    // Act + Assess
    await expect(
      guard.admitClone(githubPrincipal(42), request({ labels: { 'github.pool': 'x' } }), ['a']),
    ).resolves.toBeDefined();
    await expect(
      guard.admitClone(slackPrincipal('T', 'U'), request({ labels: { 'slack.team': 'T' } }), ['b']),
    ).resolves.toBeDefined();
    await expect(
      guard.admitClone(servicePrincipal('pool-scaler'), request({ labels: { 'instaclone.pool': 'p' } }), ['c']),
    ).resolves.toBeDefined();
    await expect(
      guard.admitClone(tokenPrincipal('x'), { ...request(), guestinfo: { 'instaclone.runner.jitconfig': 'forged' } }, [
        'd',
      ]),
    ).rejects.toMatchObject({ issues: [{ field: 'guestinfo.instaclone.runner.jitconfig' }] });
  });
});

describe('Use case: settle and repair quotas', () => {
  it('releases a concurrent-job slot on success and the live slot once destroyed or failed', async () => {
    // Prepare
    const ledger = new InMemoryQuotaLedger();
    await ledger.acquire({ key: 'k', jobIds: ['a', 'b'] }, now);
    const settle = makeSettleQuota({ ledger });
    // Act
    await settle({ jobId: 'a', status: 'SUCCEEDED', grant: { quotaKey: 'k' } });
    await settle({ jobId: 'b', status: 'FAILED', grant: { quotaKey: 'k' } });
    // Assess
    expect(await ledger.usage('k')).toMatchObject({ live: ['a'], active: [] });
  });

  it('repairs leaks: ended jobs and, after the grace period, ids whose job was never written', async () => {
    // Prepare
    const ledger = new InMemoryQuotaLedger();
    await ledger.acquire(
      { key: 'old', jobIds: ['done', 'gone', 'never', 'running'] },
      new Date(now.getTime() - 600_000),
    );
    await ledger.acquire({ key: 'fresh', jobIds: ['in-flight'] }, now);
    const statuses: Record<string, string> = { done: 'DESTROYED', gone: 'SUCCEEDED', running: 'RUNNING' };
    const repair = makeRepairQuotas({ ledger, statusOf: async (id) => statuses[id], clock });
    // Act
    const released = await repair();
    // Assess
    expect(released).toBe(3);
    expect(await ledger.usage('old')).toMatchObject({ live: ['gone', 'running'], active: ['running'] });
    expect((await ledger.usage('fresh')).live).toEqual(['in-flight']);
  });
});
