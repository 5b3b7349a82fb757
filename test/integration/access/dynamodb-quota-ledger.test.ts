import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { DynamoDbQuotaLedger } from '#shared/access/adapters/dynamodb-quota-ledger';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';

let dynamo: DynamoDbEmulator;
let ledger: DynamoDbQuotaLedger;

beforeAll(async () => {
  dynamo = await startDynamoDbEmulator();
  ledger = new DynamoDbQuotaLedger(dynamo.client(), dynamo.tableName);
});
afterAll(() => dynamo.close());

const now = new Date('2026-12-01T12:00:00.000Z');
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('Adapter: DynamoDbQuotaLedger on dynalite', () => {
  it('grants exactly 10 of 50 concurrent acquires against a limit of 10 live clones', async () => {
    // Act
    const outcomes = await Promise.all(
      ids('race', 50).map((jobId) => ledger.acquire({ key: 'rule#ci#alice', jobIds: [jobId], liveClones: 10 }, now)),
    );
    const usage = await ledger.usage('rule#ci#alice');
    // Assess
    expect(outcomes.filter((o) => o.granted)).toHaveLength(10);
    expect(outcomes.find((o) => !o.granted)).toEqual({ granted: false, field: 'liveClones', limit: 10, inUse: 10 });
    expect(usage.live).toHaveLength(10);
    expect(usage.active).toEqual(usage.live);
  });

  it('counts a request of several clones as a whole: all of them fit or none is counted', async () => {
    // Act
    const first = await ledger.acquire({ key: 'rule#batch', jobIds: ids('a', 3), liveClones: 4 }, now);
    const second = await ledger.acquire({ key: 'rule#batch', jobIds: ids('b', 2), liveClones: 4 }, now);
    const tooMany = await ledger.acquire({ key: 'rule#batch', jobIds: ids('c', 5), liveClones: 4 }, now);
    // Assess
    expect(first).toEqual({ granted: true });
    expect(second).toEqual({ granted: false, field: 'liveClones', limit: 4, inUse: 3 });
    expect(tooMany).toEqual({ granted: false, field: 'liveClones', limit: 4, inUse: 0 });
    expect((await ledger.usage('rule#batch')).live).toEqual(ids('a', 3));
  });

  it('frees a concurrent-job slot when a clone step ends and a live slot when the clone is gone', async () => {
    // Prepare
    const key = 'rule#slots#bob';
    const limits = { liveClones: 2, concurrentJobs: 1 };
    await ledger.acquire({ key, jobIds: ['j1'], ...limits }, now);
    // Act
    const whileRunning = await ledger.acquire({ key, jobIds: ['j2'], ...limits }, now);
    await ledger.releaseActive(key, ['j1']);
    const afterFinish = await ledger.acquire({ key, jobIds: ['j2'], ...limits }, now);
    await ledger.releaseActive(key, ['j2']);
    const whenFull = await ledger.acquire({ key, jobIds: ['j3'], ...limits }, now);
    await ledger.releaseLive(key, ['j1']);
    await ledger.releaseLive(key, ['j1']);
    const afterDestroy = await ledger.acquire({ key, jobIds: ['j3'], ...limits }, now);
    // Assess
    expect(whileRunning).toEqual({ granted: false, field: 'concurrentJobs', limit: 1, inUse: 1 });
    expect(afterFinish).toEqual({ granted: true });
    expect(whenFull).toEqual({ granted: false, field: 'liveClones', limit: 2, inUse: 2 });
    expect(afterDestroy).toEqual({ granted: true });
    expect(await ledger.usage(key)).toEqual({ key, live: ['j2', 'j3'], active: ['j3'], acquiredAt: now.toISOString() });
  });

  it('grants a repeated acquire of the same jobs (a retried write) without counting them twice', async () => {
    // Prepare
    await ledger.acquire({ key: 'rule#retry', jobIds: ['r1'], liveClones: 1 }, now);
    // Act
    const again = await ledger.acquire({ key: 'rule#retry', jobIds: ['r1'], liveClones: 1 }, now);
    // Assess
    expect(again).toEqual({ granted: true });
    expect((await ledger.usage('rule#retry')).live).toEqual(['r1']);
  });

  it('releases on a counter that never existed without creating it, and lists counters apart from jobs', async () => {
    // Prepare
    const jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
    // Act
    await ledger.releaseLive('rule#never', ['x']);
    const listed = await ledger.list({ limit: 100 });
    const unsettled = await jobs.listUnsettled({ limit: 100 });
    // Assess
    expect(listed.usages.map((u) => u.key)).not.toContain('rule#never');
    expect(listed.usages.map((u) => u.key)).toContain('rule#ci#alice');
    expect(unsettled.jobs).toEqual([]);
  });
});
