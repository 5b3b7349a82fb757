import { describe, expect, it } from 'vitest';
import { toFieldIssues } from '#shared/errors/field-issues';
import { matchesEventPattern } from '#shared/events/event-pattern';
import { PoolSpecSchema, poolCloneRequest } from '#shared/pools/model/pool';
import { POOL_EVENT_RULES } from '#shared/pools/model/pool-events';
import { scalerTriggerFor } from '#shared/pools/model/scaler-trigger';

const fieldsOf = (input: unknown) => {
  const result = PoolSpecSchema.safeParse(input);
  return result.success ? [] : toFieldIssues(result.error).map((i) => i.field);
};

describe('Pool spec', () => {
  it('applies defaults to a minimal spec', () => {
    // Act
    const spec = PoolSpecSchema.parse({ source: { path: '/DC0/vm/golden' } });
    // Assess
    expect(spec).toEqual({
      version: '1',
      source: { path: '/DC0/vm/golden' },
      template: {},
      min: 0,
      max: 10,
      spare: 1,
      ttlMinutes: 60,
    });
  });

  it.each([
    ['neither source nor sources', { spare: 1 }, 'source'],
    ['both source and sources', { source: { moref: 'vm-1' }, sources: [{ moref: 'vm-2' }] }, 'source'],
    ['min above max', { source: { moref: 'vm-1' }, min: 5, max: 2 }, 'min'],
    ['spare above max', { source: { moref: 'vm-1' }, spare: 5, max: 2 }, 'spare'],
    [
      'a template that sets the source',
      { source: { moref: 'vm-1' }, template: { source: { moref: 'vm-2' } } },
      'template.source',
    ],
    [
      'a template with a bad MAC',
      { source: { moref: 'vm-1' }, template: { nics: [{ key: 4000, mac: 'x' }] } },
      'template.nics.0.mac',
    ],
    [
      'a reserved label',
      { source: { moref: 'vm-1' }, template: { labels: { 'instaclone.pool': 'x' } } },
      'template.labels',
    ],
  ])('names the field for %s', (_label, input, field) => {
    // Assess
    expect(fieldsOf(input)).toContain(field);
  });

  it('builds a claimed clone request with the lease and claim label, and spares without', () => {
    // Prepare
    const spec = PoolSpecSchema.parse({ sources: [{ moref: 'vm-1' }, { moref: 'vm-2' }], ttlMinutes: 15 });
    // Act
    const spare = poolCloneRequest({ name: 'p', spec }, { sourceIndex: 3, uniqueId: 'u' });
    const claimed = poolCloneRequest({ name: 'p', spec }, { sourceIndex: 0, uniqueId: 'u', claimedBy: 'me' });
    // Assess
    expect(spare).toMatchObject({ source: { moref: 'vm-2' }, labels: { 'instaclone.pool': 'p' }, count: 1 });
    expect(spare.ttlMinutes).toBeUndefined();
    expect(claimed).toMatchObject({ ttlMinutes: 15, labels: { 'instaclone.pool': 'p', 'instaclone.claimedBy': 'me' } });
  });
});

describe('Scaler trigger', () => {
  const cloneEvent = (labels: Record<string, string>) => ({
    source: 'instaclone',
    'detail-type': 'Clone Succeeded',
    detail: { jobId: 'j', labels },
  });

  it('routes only pool clone events, pool events and scale requests to the scaler', () => {
    // Prepare
    const rules = Object.values(POOL_EVENT_RULES);
    const matches = (event: unknown) => rules.some((rule) => matchesEventPattern(rule, event));
    // Assess
    expect(matches(cloneEvent({ 'instaclone.pool': 'ci' }))).toBe(true);
    expect(matches(cloneEvent({ team: 'x' }))).toBe(false);
    expect(matches({ source: 'ci.alarms', 'detail-type': 'Pool Scale Requested', detail: { pool: 'ci' } })).toBe(true);
    expect(matches({ source: 'instaclone', 'detail-type': 'Pool Degraded', detail: { pool: 'ci' } })).toBe(false);
  });

  it('reads the pool from a clone label or a pool event, and scans every pool on the schedule', () => {
    // Assess
    expect(scalerTriggerFor(cloneEvent({ 'instaclone.pool': 'ci' }))).toEqual({ pool: 'ci' });
    expect(scalerTriggerFor({ 'detail-type': 'Pool Claimed', detail: { pool: 'web' } })).toEqual({ pool: 'web' });
    expect(scalerTriggerFor({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} })).toEqual({
      allPools: true,
    });
  });
});
