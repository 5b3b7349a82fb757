import { existsSync } from 'node:fs';
import { appendFile, readFile, rename, rm } from 'node:fs/promises';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ScanCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { ScanCommand as DocScanCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#shared/aws/dynamodb-document-client';
import { backfillJobIndexes } from '#shared/clones/adapters/job-index-backfill';
import { indexAttributesOf } from '#shared/clones/adapters/job-index-keys';
import { INDEX_GENERATION, MIGRATION_KEY } from '#shared/clones/adapters/job-index-migration';
import type { CloneJob } from '#shared/clones/model/clone-job';
import { JOB_TABLE, JOB_TABLE_INDEXES } from '#shared/config/resources';

type Item = NonNullable<ScanCommand['input']['ExclusiveStartKey']>;

/** The deployed key schema (`JOB_TABLE`): the table key and every index, on-demand. */
const createTable = (client: DynamoDBClient, tableName: string) => {
  const keys = new Set<string>([JOB_TABLE.partitionKey]);
  for (const index of JOB_TABLE_INDEXES) keys.add(index.partitionKey).add(index.sortKey);
  return client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: JOB_TABLE.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: JOB_TABLE_INDEXES.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
    }),
  );
};

const waitActive = (client: DynamoDBClient, tableName: string) =>
  // dynalite makes a new table ACTIVE on a timer: on a busy machine the first write could still find it CREATING.
  waitUntilTableExists({ client, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 30 }, { TableName: tableName });

/** The table's items as stored (AttributeValues), one Scan page at a time. */
async function* scanPages(client: DynamoDBClient, tableName: string) {
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(start && { ExclusiveStartKey: start }) }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Re-creates the table with every index of `JOB_TABLE` and loads `dumpFile` (one item per line) into it, then
 * deletes the file. dynalite cannot add an index to a table (UpdateTable has no GSI Create), so an older data
 * folder is upgraded by a dump and a reload; the dump is written completely before the table is dropped, and a
 * reload that was interrupted is finished on the next start.
 */
async function reload(client: DynamoDBClient, tableName: string, dumpFile: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  await waitUntilTableNotExists({ client, minDelay: 0.05, maxDelay: 0.2, maxWaitTime: 30 }, { TableName: tableName });
  await createTable(client, tableName);
  await waitActive(client, tableName);
  const lines = (await readFile(dumpFile, 'utf8')).split('\n').filter(Boolean);
  for (let i = 0; i < lines.length; i += 25) {
    const requests = lines.slice(i, i + 25).map((line) => ({ PutRequest: { Item: JSON.parse(line) as Item } }));
    let unprocessed: typeof requests | undefined = requests;
    while (unprocessed && unprocessed.length > 0) {
      const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: unprocessed } }));
      unprocessed = answer.UnprocessedItems?.[tableName] as typeof requests | undefined;
    }
  }
  await rm(dumpFile, { force: true });
}

/**
 * After an unclean stop (the store's lock was left behind): writes every job that needs the worker again, with the
 * index keys it should have. dynalite updates an item's index entries before the item itself, so a process killed
 * between the two could have dropped a job from the unsettled index while the job still needs work; the rewrite
 * restores its entries. Reads the whole table once; DynamoDB updates indexes from the write itself, so nothing like
 * it runs on AWS.
 */
async function reindexUnsettled(client: DynamoDBClient, tableName: string): Promise<void> {
  const doc = makeDocumentClient(client);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new DocScanCommand({
        TableName: tableName,
        FilterExpression:
          'begins_with(#pk, :job) AND (#status IN (:queued, :running, :destroying) OR attribute_not_exists(#announced) OR #announced <> #status OR #cleanup = :true)',
        ExpressionAttributeNames: {
          ...{ '#pk': JOB_TABLE.partitionKey, '#status': 'status' },
          ...{ '#announced': 'announced', '#cleanup': 'cleanupPending' },
        },
        ExpressionAttributeValues: {
          ...{ ':job': 'JOB#', ':queued': 'QUEUED', ':running': 'RUNNING' },
          ...{ ':destroying': 'DESTROYING', ':true': true },
        },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? [])
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { ...item, ...indexAttributesOf(item as CloneJob) } }),
      );
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Makes sure the jobs table exists with the deployed key schema and every index of `JOB_TABLE`, and that its jobs
 * carry the index keys this code reads:
 * - a new table is created and recorded as migrated (it holds no old job);
 * - a table of an older data folder that lacks an index is dumped to `<dataPath>.upgrade.ndjson` and re-created
 *   with every index (see reload), then backfilled as `npm run migrate` does on AWS (`backfillJobIndexes`);
 * - after an unclean stop (`uncleanStop`), jobs that need the worker are re-indexed (see reindexUnsettled).
 * Rejects when the emulator does; a dump left by an interrupted upgrade is finished first.
 */
export async function ensureJobsTable(
  client: DynamoDBClient,
  tableName: string,
  options: { dataPath?: string; uncleanStop?: boolean } = {},
): Promise<void> {
  const dumpFile = options.dataPath && `${options.dataPath}.upgrade.ndjson`;
  if (dumpFile && existsSync(dumpFile)) await reload(client, tableName, dumpFile);
  try {
    await createTable(client, tableName);
    await waitActive(client, tableName);
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          [JOB_TABLE.partitionKey]: { S: MIGRATION_KEY[JOB_TABLE.partitionKey] },
          generation: { N: String(INDEX_GENERATION) },
          state: { S: 'done' },
          ...{ scanned: { N: '0' }, updated: { N: '0' }, updatedAt: { S: new Date().toISOString() } },
        },
      }),
    );
    return;
  } catch (error) {
    // A re-opened on-disk store already has the table: that is the point of a data folder.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(client, tableName);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  if (dumpFile && JOB_TABLE_INDEXES.some((index) => !present.has(index.name))) {
    await rm(`${dumpFile}.partial`, { force: true });
    for await (const page of scanPages(client, tableName))
      await appendFile(`${dumpFile}.partial`, page.map((item) => `${JSON.stringify(item)}\n`).join(''));
    await rename(`${dumpFile}.partial`, dumpFile);
    await reload(client, tableName, dumpFile);
  }
  if (options.uncleanStop) await reindexUnsettled(client, tableName);
  await backfillJobIndexes(client, tableName);
}
