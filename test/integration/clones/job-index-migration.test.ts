import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbEmulator, startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { meterDynamoDbReads } from '#local/metering/dynamodb-meter';
import { makeDocumentClient } from '#shared/aws/dynamodb-document-client';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { backfillJobIndexes } from '#shared/clones/adapters/job-index-backfill';
import { MIGRATION_KEY } from '#shared/clones/adapters/job-index-migration';
import type { JobStatus } from '#shared/clones/model/clone-job';
import { JOB_TABLE, JOB_TABLE_INDEXES } from '#shared/config/resources';
import { POOL_LABEL } from '#shared/pools/model/pool';

const created = (i: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, i)).toISOString();

/**
 * A job item as the code before the sharded indexes wrote it: status keys `STATUS#<status>`, no unsettled or pool
 * key. `announced` as the worker left it (absent when the worker died before announcing).
 */
const oldItem = (jobId: string, status: JobStatus, i: number, extra: { announced?: boolean; pool?: string } = {}) => ({
  pk: `JOB#${jobId}`,
  gsi1pk: `STATUS#${status}`,
  gsi1sk: `${created(i)}#${jobId}`,
  jobId,
  status,
  version: 3,
  request: { source: { path: '/DC0/vm/DC0_H0_VM0' }, ...(extra.pool && { labels: { [POOL_LABEL]: extra.pool } }) },
  vmName: `instaclone-${jobId}`,
  ...(extra.announced !== false && { announced: status }),
  createdAt: created(i),
  updatedAt: created(i),
});

/** A stage's table as old code left it: 30 destroyed jobs, one at work, one unannounced, a pool spare, a pool. */
const OLD_ITEMS = [
  ...Array.from({ length: 30 }, (_, i) => oldItem(`old-destroyed-${i}`, 'DESTROYED', i)),
  oldItem('old-running', 'RUNNING', 40),
  oldItem('old-unannounced', 'SUCCEEDED', 41, { announced: false }),
  oldItem('old-spare', 'SUCCEEDED', 42, { pool: 'ci' }),
  { pk: 'POOL#ci', gsi1pk: 'POOLS', gsi1sk: 'ci', name: 'ci', version: 1 },
];

const seedOldTable = async (dynamo: DynamoDbEmulator) => {
  const doc = makeDocumentClient(dynamo.client());
  await doc.send(new DeleteCommand({ TableName: dynamo.tableName, Key: MIGRATION_KEY }));
  for (const item of OLD_ITEMS) await doc.send(new PutCommand({ TableName: dynamo.tableName, Item: item }));
};

const everyPage = async (list: (cursor?: string) => Promise<{ jobs: { jobId: string }[]; cursor?: string }>) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    ids.push(...page.jobs.map((job) => job.jobId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
};

describe('Migration: a stage whose table holds jobs written before the sharded indexes', () => {
  let dynamo: DynamoDbEmulator;
  beforeAll(async () => {
    dynamo = await startDynamoDbEmulator();
    await seedOldTable(dynamo);
  });
  afterAll(() => dynamo.close());

  it('keeps working before the backfill: listings, the reconciler and the pool census see the old jobs', async () => {
    // Prepare
    const jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
    // Act
    const running = await everyPage((cursor) => jobs.listByStatus('RUNNING', { limit: 10, ...(cursor && { cursor }) }));
    const unsettled = await everyPage((cursor) => jobs.listUnsettled({ limit: 10, ...(cursor && { cursor }) }));
    const pool = await everyPage((cursor) => jobs.listByPool('ci', { limit: 10, ...(cursor && { cursor }) }));
    const destroyed = await jobs.countByStatus('DESTROYED');
    // Assess
    expect(running).toEqual(['old-running']);
    expect(unsettled).toEqual(['old-running']);
    expect(pool).toEqual(['old-spare']);
    expect(destroyed).toBe(30);
  });

  it('gives every job its index keys, records the migration done, and leaves other items alone', async () => {
    // Act
    const record = await backfillJobIndexes(dynamo.client(), dynamo.tableName, { pageSize: 7 });
    const { Items = [] } = await makeDocumentClient(dynamo.client()).send(
      new ScanCommand({ TableName: dynamo.tableName }),
    );
    // Assess
    expect(record).toMatchObject({ state: 'done', scanned: 33, updated: 33 });
    const jobItems = Items.filter((item) => String(item.pk).startsWith('JOB#'));
    expect(jobItems.every((item) => /^STATUS#[A-Z]+#\d+$/.test(String(item.gsi1pk)))).toBe(true);
    expect(jobItems.filter((item) => item.unsettledpk).map((item) => item.jobId)).toEqual(
      expect.arrayContaining(['old-running', 'old-unannounced']),
    );
    expect(jobItems.filter((item) => item.unsettledpk)).toHaveLength(2);
    expect(jobItems.filter((item) => item.poolpk).map((item) => item.jobId)).toEqual(['old-spare']);
    expect(Items.find((item) => item.pk === 'POOL#ci')).toEqual(OLD_ITEMS.at(-1));
    expect(jobItems.every((item) => item.version === 3 && item.updatedAt === item.createdAt)).toBe(true);
  });

  it('then reads only the new partitions: the reconciler finds the unannounced job too, reading nothing else', async () => {
    // Prepare
    const client = dynamo.client();
    const reads = meterDynamoDbReads(client);
    const jobs = new DynamoDbJobRepository(client, dynamo.tableName);
    await jobs.listByStatus('QUEUED', { limit: 1 });
    reads.reset();
    // Act
    const unsettled = await everyPage((cursor) => jobs.listUnsettled({ limit: 10, ...(cursor && { cursor }) }));
    // Assess: two index keys and two jobs
    expect(unsettled).toEqual(['old-running', 'old-unannounced']);
    expect(reads.itemsRead).toBe(4);
  });

  it('runs again without writing a job (it is idempotent), from the start when asked', async () => {
    // Act
    const again = await backfillJobIndexes(dynamo.client(), dynamo.tableName);
    const restarted = await backfillJobIndexes(dynamo.client(), dynamo.tableName, { restart: true });
    // Assess
    expect(again).toMatchObject({ state: 'done', updated: 33 });
    expect(restarted).toMatchObject({ state: 'done', scanned: 33, updated: 0 });
  });
});

describe('Migration: a backfill that stopped halfway', () => {
  let dynamo: DynamoDbEmulator;
  beforeAll(async () => {
    dynamo = await startDynamoDbEmulator();
    await seedOldTable(dynamo);
  });
  afterAll(() => dynamo.close());

  it('goes on from where it stopped and finishes every job', async () => {
    // Prepare: the first run dies after its second page
    let pages = 0;
    const stopped = backfillJobIndexes(dynamo.client(), dynamo.tableName, {
      pageSize: 5,
      onProgress: () => {
        if (++pages === 2) throw new Error('operator pressed Ctrl-C');
      },
    });
    await expect(stopped).rejects.toThrow('Ctrl-C');
    const doc = makeDocumentClient(dynamo.client());
    const { Item: halfway } = await doc.send(new GetCommand({ TableName: dynamo.tableName, Key: MIGRATION_KEY }));
    // Act
    const finished = await backfillJobIndexes(dynamo.client(), dynamo.tableName, { pageSize: 5 });
    // Assess: two pages of five items (the pool among them) recorded, then the rest, each job once
    expect(halfway).toMatchObject({ state: 'running', scanned: 9, resumeKey: expect.anything() });
    expect(finished).toMatchObject({ state: 'done', scanned: 33, updated: 33 });
    const jobs = new DynamoDbJobRepository(dynamo.client(), dynamo.tableName);
    expect(await jobs.countByStatus('DESTROYED')).toBe(30);
  });
});

describe('Migration: npm start on a data folder of an older version', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'instaclone-upgrade-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('re-creates the table with every index, keeps every item and backfills them', async () => {
    // Prepare: a table with only the status index, as older versions created it, holding old jobs
    const path = join(dir, 'dynamodb');
    const first = await startDynamoDbEmulator({ path });
    const raw = first.client();
    await raw.send(new DeleteTableCommand({ TableName: first.tableName }));
    await waitUntilTableNotExists(
      { client: raw, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 10 },
      { TableName: first.tableName },
    );
    const { statusIndex } = JOB_TABLE;
    await raw.send(
      new CreateTableCommand({
        TableName: first.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', statusIndex.partitionKey, statusIndex.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: statusIndex.name,
            KeySchema: [
              { AttributeName: statusIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: statusIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    // dynalite makes a new table ACTIVE on a timer: on a busy machine a write at once could still find it CREATING.
    await waitUntilTableExists(
      { client: raw, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 30 },
      { TableName: first.tableName },
    );
    const doc = makeDocumentClient(raw);
    for (const item of OLD_ITEMS) await doc.send(new PutCommand({ TableName: first.tableName, Item: item }));
    await first.close();
    // Act
    const upgraded = await startDynamoDbEmulator({ path });
    try {
      const { Table } = await upgraded.client().send(new DescribeTableCommand({ TableName: upgraded.tableName }));
      const jobs = new DynamoDbJobRepository(upgraded.client(), upgraded.tableName);
      const unsettled = await everyPage((cursor) => jobs.listUnsettled({ limit: 10, ...(cursor && { cursor }) }));
      const { Items = [] } = await makeDocumentClient(upgraded.client()).send(
        new ScanCommand({ TableName: upgraded.tableName }),
      );
      // Assess
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        JOB_TABLE_INDEXES.map((index) => index.name).sort(),
      );
      expect(unsettled).toEqual(['old-running', 'old-unannounced']);
      expect(Items.filter((item) => item.pk !== MIGRATION_KEY.pk)).toHaveLength(OLD_ITEMS.length);
      expect(existsSync(`${path}.upgrade.ndjson`)).toBe(false);
    } finally {
      await upgraded.close();
    }
  });

  it('after an unclean stop, puts every job that needs the worker back into the unsettled index', async () => {
    // Prepare: a job at work whose index entry is missing (dynalite writes it before the item: a kill between the
    // two loses it), then a lock left by a process that is gone
    const path = join(dir, 'dynamodb-killed');
    const first = await startDynamoDbEmulator({ path });
    const lost = { ...oldItem('lost-running', 'RUNNING', 50), gsi1pk: 'STATUS#RUNNING#0' };
    await makeDocumentClient(first.client()).send(new PutCommand({ TableName: first.tableName, Item: lost }));
    await first.close();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(`${path}.lock`, String(gone));
    // Act
    const restarted = await startDynamoDbEmulator({ path });
    try {
      const jobs = new DynamoDbJobRepository(restarted.client(), restarted.tableName);
      const unsettled = await everyPage((cursor) => jobs.listUnsettled({ limit: 10, ...(cursor && { cursor }) }));
      // Assess
      expect(unsettled).toEqual(['lost-running']);
    } finally {
      await restarted.close();
    }
  });
});
