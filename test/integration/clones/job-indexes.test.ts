import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { meterDynamoDbReads } from '#local/metering/dynamodb-meter';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import type { CloneJob, JobStatus } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { transition } from '#shared/clones/model/job-transition';
import { JOB_TABLE } from '#shared/config/resources';
import { POOL_LABEL } from '#shared/pools/model/pool';

let dynamo: DynamoDbEmulator;
let client: DynamoDBClient;
let jobs: DynamoDbJobRepository;
let reads: ReturnType<typeof meterDynamoDbReads>;

const at = (second: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, second)).toISOString();

/** A job as stored in `status`; `announced` so it is settled unless it is at work. */
const jobIn = (
  jobId: string,
  status: JobStatus,
  extra: { second?: number; pool?: string; announced?: JobStatus | null } = {},
): CloneJob => ({
  jobId,
  status,
  version: 1,
  request: CloneRequestSchema.parse({
    source: { path: '/DC0/vm/DC0_H0_VM0' },
    ...(extra.pool && { labels: { [POOL_LABEL]: extra.pool } }),
  }),
  vmName: `instaclone-${jobId}`,
  ...(extra.announced !== null && { announced: extra.announced ?? status }),
  createdAt: at(extra.second ?? 0),
  updatedAt: at(extra.second ?? 0),
});

/** Every page of a listing, concatenated. */
const everyPage = async (list: (cursor?: string) => Promise<{ jobs: CloneJob[]; cursor?: string }>) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    ids.push(...page.jobs.map((job) => job.jobId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
};

beforeAll(async () => {
  dynamo = await startDynamoDbEmulator();
  client = dynamo.client();
  reads = meterDynamoDbReads(client);
  jobs = new DynamoDbJobRepository(client, dynamo.tableName);
  // The repository reads the table's migration state once; that read is not what these tests count.
  await jobs.listByStatus('QUEUED', { limit: 1 });
});
afterAll(() => dynamo.close());
beforeEach(() => reads.reset());

describe('Adapter: the job table indexes on dynalite', () => {
  it('lists the jobs that need the worker, reading only those, however many settled jobs the table keeps', async () => {
    // Prepare: 60 settled jobs of every ending, then four that still need the worker
    for (let i = 0; i < 20; i++) {
      await jobs.create(jobIn(`old-destroyed-${i}`, 'DESTROYED'));
      await jobs.create(jobIn(`old-failed-${i}`, 'FAILED'));
      await jobs.create(jobIn(`old-ready-${i}`, 'SUCCEEDED'));
    }
    await jobs.create(jobIn('busy-queued', 'QUEUED', { second: 1 }));
    await jobs.create(jobIn('busy-destroying', 'DESTROYING', { second: 2 }));
    await jobs.create(jobIn('busy-unannounced', 'SUCCEEDED', { second: 3, announced: null }));
    await jobs.create({ ...jobIn('busy-cleanup', 'FAILED', { second: 4 }), cleanupPending: true });
    reads.reset();
    // Act
    const ids = await everyPage((cursor) => jobs.listUnsettled({ limit: 50, ...(cursor && { cursor }) }));
    // Assess: each of the four read twice (its index key, then the job itself), nothing else
    expect(ids).toEqual(['busy-queued', 'busy-destroying', 'busy-unannounced', 'busy-cleanup']);
    expect(reads.itemsRead).toBe(8);
  });

  it('pages the unsettled jobs with a cursor, each once', async () => {
    // Act
    const ids = await everyPage((cursor) => jobs.listUnsettled({ limit: 3, ...(cursor && { cursor }) }));
    // Assess
    expect(ids).toEqual(['busy-queued', 'busy-destroying', 'busy-unannounced', 'busy-cleanup']);
  });

  it('takes a job off the unsettled index once it is announced, and back on when a clone is left to destroy', async () => {
    // Prepare
    const job = jobIn('settling-1', 'FAILED', { second: 5, announced: null });
    await jobs.create(job);
    const unsettledBefore = await everyPage((cursor) => jobs.listUnsettled({ limit: 50, ...(cursor && { cursor }) }));
    // Act
    const announced = await jobs.save(transition(job, { patch: { announced: 'FAILED' }, now: new Date(at(6)) }));
    const settled = await everyPage((cursor) => jobs.listUnsettled({ limit: 50, ...(cursor && { cursor }) }));
    await jobs.save(transition(announced, { patch: { cleanupPending: true }, now: new Date(at(7)) }));
    const again = await everyPage((cursor) => jobs.listUnsettled({ limit: 50, ...(cursor && { cursor }) }));
    // Assess
    expect(unsettledBefore).toContain('settling-1');
    expect(settled).not.toContain('settling-1');
    expect(again).toContain('settling-1');
  });

  it('lists a status over all its shards oldest first, page after page, ties ordered by job id', async () => {
    // Prepare: 30 RUNNING jobs, three per second, created out of order
    const expected: string[] = [];
    for (let i = 29; i >= 0; i--)
      await jobs.create(jobIn(`run-${String(i).padStart(2, '0')}`, 'RUNNING', { second: 10 + Math.floor(i / 3) }));
    for (let i = 0; i < 30; i++) expected.push(`run-${String(i).padStart(2, '0')}`);
    // Act
    const ids = await everyPage((cursor) => jobs.listByStatus('RUNNING', { limit: 7, ...(cursor && { cursor }) }));
    const { Items = [] } = await client.send(new ScanCommand({ TableName: dynamo.tableName }));
    const partitions = new Set(
      Items.filter((item) => item.pk?.S?.startsWith('JOB#run-')).map(
        (item) => item[JOB_TABLE.statusIndex.partitionKey]?.S,
      ),
    );
    // Assess: in order, none twice, spread over most of the shards
    expect(ids).toEqual(expected);
    expect(partitions.size).toBeGreaterThanOrEqual(JOB_TABLE.shards - 2);
  });

  it("reads one pool's live clones and nothing else", async () => {
    // Prepare
    await jobs.create(jobIn('pool-a-ready', 'SUCCEEDED', { second: 20, pool: 'a' }));
    await jobs.create(jobIn('pool-a-running', 'RUNNING', { second: 21, pool: 'a' }));
    await jobs.create(jobIn('pool-a-gone', 'DESTROYED', { second: 22, pool: 'a' }));
    await jobs.create(jobIn('pool-b-ready', 'SUCCEEDED', { second: 23, pool: 'b' }));
    reads.reset();
    // Act
    const ids = await everyPage((cursor) => jobs.listByPool('a', { limit: 50, ...(cursor && { cursor }) }));
    // Assess
    expect(ids).toEqual(['pool-a-ready', 'pool-a-running']);
    expect(reads.itemsRead).toBe(2);
  });

  it('counts a status over every shard, and only the jobs created since a moment when asked', async () => {
    // Prepare
    for (let i = 0; i < 12; i++) await jobs.create(jobIn(`count-${i}`, 'DESTROYING', { second: 30 + i }));
    // Act
    const all = await jobs.countByStatus('DESTROYING');
    const recent = await jobs.countByStatus('DESTROYING', { createdSince: at(36) });
    // Assess: the one from the first test counts too
    expect([all, recent]).toEqual([13, 6]);
  });

  it('refuses a cursor that is not an index position, before reading anything', async () => {
    // Prepare
    const forged = Buffer.from(JSON.stringify({ pk: 'JOB#x' })).toString('base64url');
    // Act
    const listing = jobs.listUnsettled({ limit: 5, cursor: forged });
    // Assess
    await expect(listing).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    expect(reads.itemsRead).toBe(0);
  });
});
