import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { updateExpression } from '../../aws/dynamodb-update-expression.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { CloneJob } from '../model/clone-job.js';
import { indexAttributesOf, keyOf } from './job-index-keys.js';
import { INDEX_GENERATION, MIGRATION_KEY, type MigrationRecord } from './job-index-migration.js';

export type BackfillOptions = {
  /** Jobs per Scan page (and parallel updates). Default 100. */
  pageSize?: number;
  /** Start from the beginning even if a backfill finished or stopped halfway. */
  restart?: boolean;
  /** Called after each page with the progress recorded so far. */
  onProgress?: (record: MigrationRecord) => void;
  now?: () => Date;
};

/** Attempts per job before a job that keeps changing under the backfill is left to its own next write. */
const ATTEMPTS = 3;

/**
 * Gives every job item of `tableName` the index keys this code writes (`indexAttributesOf`: sharded status keys, the
 * unsettled key when it needs the worker, the pool key of a live pool clone), then records the migration `done`, so
 * readers stop reading the legacy partitions. Idempotent: a job that has its keys is not written, and a finished
 * migration returns at once (unless `restart`). Resumable: the Scan position is recorded after every page, so a run
 * that stopped goes on where it was. Each write is conditional on the job's `version` and touches only index
 * attributes (not `version`, not `updatedAt`), so it never undoes or invalidates a change made meanwhile; a job that
 * changed is read again. Only `JOB#` items are touched: pools, submission records and the like are left as they are.
 * Rejects when DynamoDB does; what was recorded stays.
 */
export async function backfillJobIndexes(
  client: DynamoDBClient,
  tableName: string,
  options: BackfillOptions = {},
): Promise<MigrationRecord> {
  const doc = makeDocumentClient(client);
  const now = options.now ?? (() => new Date());
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: MIGRATION_KEY, ConsistentRead: true }));
  const recorded = Item as MigrationRecord | undefined;
  const finished = recorded?.state === 'done' && recorded.generation >= INDEX_GENERATION;
  if (finished && !options.restart) return recorded;
  const resume = !options.restart && recorded?.state === 'running' && recorded.generation === INDEX_GENERATION;
  let record: MigrationRecord = {
    generation: INDEX_GENERATION,
    state: 'running',
    scanned: resume ? recorded.scanned : 0,
    updated: resume ? recorded.updated : 0,
    updatedAt: now().toISOString(),
    ...(resume && recorded.resumeKey && { resumeKey: recorded.resumeKey }),
  };
  const save = async (next: MigrationRecord) => {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...next, ...MIGRATION_KEY } }));
    options.onProgress?.(next);
  };
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(#pk, :job)',
        ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey },
        ExpressionAttributeValues: { ':job': 'JOB#' },
        ConsistentRead: true,
        Limit: options.pageSize ?? 100,
        ...(record.resumeKey && { ExclusiveStartKey: record.resumeKey }),
      }),
    );
    const written = await Promise.all((page.Items ?? []).map((item) => reindex(doc, tableName, item)));
    const { resumeKey: _, ...rest } = record;
    record = {
      ...rest,
      scanned: record.scanned + (page.Items?.length ?? 0),
      updated: record.updated + written.filter(Boolean).length,
      updatedAt: now().toISOString(),
      ...(page.LastEvaluatedKey && { resumeKey: page.LastEvaluatedKey }),
    };
    await save(record);
  } while (record.resumeKey);
  record = { ...record, state: 'done', updatedAt: now().toISOString() };
  await save(record);
  return record;
}

/** Writes the index keys `item` lacks (or holds wrongly); false when it had them all. */
async function reindex(
  doc: ReturnType<typeof makeDocumentClient>,
  tableName: string,
  first: Record<string, unknown>,
): Promise<boolean> {
  let item: Record<string, unknown> | undefined = first;
  for (let attempt = 0; attempt < ATTEMPTS && item; attempt++) {
    const wanted = indexAttributesOf(item as CloneJob);
    const sets = Object.fromEntries(
      Object.entries(wanted).filter(([field, value]) => value !== undefined && item?.[field] !== value),
    );
    const removes = Object.keys(wanted).filter((field) => wanted[field] === undefined && item?.[field] !== undefined);
    if (Object.keys(sets).length === 0 && removes.length === 0) return false;
    const update = updateExpression(sets, removes);
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(String(item.jobId)),
          UpdateExpression: update.expression,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { ...update.names, '#version': 'version' },
          ExpressionAttributeValues: { ...update.values, ':version': item.version },
        }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // Changed (or deleted) meanwhile: its writer may have set the keys already; judge it again as it is now.
      const jobId = String(item.jobId);
      const again: { Item?: Record<string, unknown> } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keyOf(jobId), ConsistentRead: true }),
      );
      item = again.Item;
    }
  }
  return false;
}
