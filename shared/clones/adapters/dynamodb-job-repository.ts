import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { updateExpression } from '../../aws/dynamodb-update-expression.js';
import { JOB_TABLE } from '../../config/resources.js';
import { InvalidCursorError, StaleTransitionError } from '../../errors/app-error.js';
import {
  type CallbackEvent,
  type CloneJob,
  type JobCallback,
  type JobStatus,
  needsWorker,
} from '../model/clone-job.js';
import type { JobChange } from '../model/job-transition.js';
import { boundCallback, boundJobFields } from '../model/stored-text.js';
import type { JobPage, JobRepository, ListPageRequest } from '../ports/job-repository.js';
import {
  INDEX_ATTRIBUTES,
  type IndexPartition,
  indexAttributesOf,
  indexChangesOf,
  positionOf as indexPositionOf,
  keyOf,
  legacyStatusPartition,
  POOL_LIVE_STATUSES,
  poolPartition,
  statusPartitions,
  unsettledPartitions,
} from './job-index-keys.js';
import { JobIndexMigration } from './job-index-migration.js';
import { countMerged, type MergedRange, queryMerged } from './merged-index-query.js';

export { keyOf } from './job-index-keys.js';

const INTERNAL = new Set<string>(INDEX_ATTRIBUTES);

/** A job item as the domain sees it: without the table and index keys. */
export const toJob = (item: Record<string, unknown>): CloneJob =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as CloneJob;

const foreignCursor = () => new InvalidCursorError('is not a cursor this API issued');
const encodeCursor = (position: string): string => Buffer.from(JSON.stringify(position)).toString('base64url');

const INDEX_POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z#[A-Za-z0-9-]{1,64}$/;
/**
 * A listing's cursor is the index position of the last job it returned (`<createdAt>#<jobId>`), the same in every
 * shard; each shard is read from just after it. Only a well-formed position ever reaches DynamoDB, and only inside a
 * key condition of the partitions asked for. Throws InvalidCursorError for anything else.
 */
const positionOf = (cursor: string): string => {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw foreignCursor();
  }
  if (typeof position !== 'string' || !INDEX_POSITION.test(position)) throw foreignCursor();
  return position;
};

/** A page of index items as a JobPage: the cursor is the last item's position, when more may follow. */
const pageOf = (items: Record<string, unknown>[], more: boolean, jobs: CloneJob[]): JobPage => {
  const last = items.at(-1)?.[JOB_TABLE.statusIndex.sortKey];
  return { jobs, ...(more && typeof last === 'string' && { cursor: encodeCursor(last) }) };
};

/**
 * JobRepository on one DynamoDB item per job (`pk = JOB#<id>`) with three indexes kept in step by every write (see
 * `JOB_TABLE`): the sharded status index, the sparse unsettled index and the sparse pool index. Readers query only
 * the partitions they need and merge the shards, so what a read costs grows with the jobs it is about (active ones,
 * one pool's), never with the table. Until the table's index migration is done (`JobIndexMigration`), reads also
 * take in the partitions older code wrote, so a stage keeps working between the deploy and the backfill.
 * Every change (decided by the model's `transition`) is a conditional update on the expected status and version, so
 * a stale or duplicate delivery fails with StaleTransitionError instead of moving a job backwards; callback outcomes,
 * which live beside the state machine, are conditional on the job existing only. Text from outside (fault messages,
 * vCenter's answers, callback reasons) is bounded before it is written (STORED_TEXT_LIMITS), so no write outgrows
 * the item limit. No transactions: it runs on dynalite too.
 */
export class DynamoDbJobRepository implements JobRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly migration: JobIndexMigration;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
    this.migration = new JobIndexMigration(this.doc, tableName);
  }

  async create(job: CloneJob): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...boundJobFields(job), ...keyOf(job.jobId), ...indexAttributesOf(job) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async get(jobId: string): Promise<CloneJob | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(jobId), ConsistentRead: true }),
    );
    return Item ? toJob(Item) : undefined;
  }

  async listByStatus(status: JobStatus, page: ListPageRequest): Promise<JobPage> {
    const cursorAt = page.cursor === undefined ? undefined : positionOf(page.cursor);
    const beforeAt = page.before && indexPositionOf(page.before);
    const partitions = await this.withLegacy(statusPartitions(status), () => [legacyStatusPartition(status)]);
    const range: MergedRange = {
      ...(page.newestFirst && { newestFirst: true }),
      ...(page.createdSince !== undefined && { createdSince: page.createdSince }),
    };
    // Newest first, the cursor and `before` both bound the read from above: the lower of the two applies.
    const from = page.newestFirst ? [cursorAt, beforeAt].filter((p) => p !== undefined).sort()[0] : cursorAt;
    if (from !== undefined) range.after = from;
    const read = await queryMerged(this.doc, this.tableName, partitions, range, page.limit);
    // Oldest first, `before` ends the listing: nothing at or after it is returned, and nothing follows.
    const items =
      page.newestFirst || beforeAt === undefined
        ? read.items
        : read.items.filter((item) => String(item[JOB_TABLE.statusIndex.sortKey]) < beforeAt);
    return pageOf(items, read.more && items.length === read.items.length, items.map(toJob));
  }

  async listByPool(pool: string, page: { limit: number; cursor?: string }): Promise<JobPage> {
    const after = page.cursor === undefined ? undefined : positionOf(page.cursor);
    const partitions = await this.withLegacy([poolPartition(pool)], () =>
      POOL_LIVE_STATUSES.map((status) => legacyStatusPartition(status, pool)),
    );
    const { items, more } = await queryMerged(this.doc, this.tableName, partitions, { after }, page.limit);
    return pageOf(items, more, items.map(toJob));
  }

  async countByStatus(status: JobStatus, options: { createdSince?: string } = {}): Promise<number> {
    const partitions = await this.withLegacy(statusPartitions(status), () => [legacyStatusPartition(status)]);
    return countMerged(this.doc, this.tableName, partitions, options.createdSince);
  }

  async listUnsettled(page: { limit: number; cursor?: string }): Promise<JobPage> {
    const after = page.cursor === undefined ? undefined : positionOf(page.cursor);
    // Jobs written before the migration carry no unsettled key; those still at work are in their status partition.
    const partitions = await this.withLegacy(unsettledPartitions(), () =>
      (['QUEUED', 'RUNNING', 'DESTROYING'] as const).map((status) => legacyStatusPartition(status)),
    );
    const { items, more } = await queryMerged(this.doc, this.tableName, partitions, { after }, page.limit);
    // The index holds keys only, and may lag: each job is read from the table and kept only if it still needs work.
    const jobs = await Promise.all(
      items.map((item) => this.get(String(item[JOB_TABLE.partitionKey]).slice('JOB#'.length))),
    );
    return pageOf(
      items,
      more,
      jobs.filter((job): job is CloneJob => job !== undefined && needsWorker(job)),
    );
  }

  /** `partitions`, plus the legacy ones while the table's index migration is not done. */
  private async withLegacy(partitions: IndexPartition[], legacy: () => IndexPartition[]): Promise<IndexPartition[]> {
    return (await this.migration.pending()) ? [...partitions, ...legacy()] : partitions;
  }

  async save(change: JobChange): Promise<CloneJob> {
    const { expected } = change;
    const moves = change.status !== expected.status;
    const index = indexChangesOf(change);
    const sets: Record<string, unknown> = {
      ...(moves && { status: change.status }),
      ...index.sets,
      updatedAt: change.updatedAt,
    };
    const removes: string[] = [...index.removes];
    for (const [field, value] of Object.entries(boundJobFields(change.patch))) {
      if (value === undefined) removes.push(field);
      else sets[field] = value;
    }
    const update = updateExpression(sets, removes, ['#version = :version']);
    const names = { ...update.names, '#status': 'status', '#version': 'version' };
    const values = {
      ...update.values,
      ':expectedStatus': expected.status,
      ':expectedVersion': expected.version,
      ':version': change.version,
    };
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(change.jobId),
          UpdateExpression: update.expression,
          ConditionExpression: '#status = :expectedStatus AND #version = :expectedVersion',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes ?? {});
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new StaleTransitionError(change.jobId, `${expected.status} v${expected.version}`);
      throw err;
    }
  }

  async recordCallback(jobId: string, event: CallbackEvent, outcome: JobCallback): Promise<void> {
    const callback = boundCallback(outcome);
    // Only this event's key inside the map, so notifiers of different events never overwrite each other. DynamoDB
    // cannot set a key of a map that does not exist yet, nor create the map (`if_not_exists`) in the same
    // expression, hence the second update that creates it; if another notifier created it first, the key is set.
    const names = { '#pk': JOB_TABLE.partitionKey, '#callbacks': 'callbacks', '#event': event };
    const intoMap = () =>
      this.conditionalUpdate(jobId, {
        UpdateExpression: 'SET #callbacks.#event = :callback',
        ConditionExpression: 'attribute_exists(#pk) AND attribute_exists(#callbacks)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':callback': callback },
      });
    const newMap = () =>
      this.conditionalUpdate(jobId, {
        UpdateExpression: 'SET #callbacks = :callbacks',
        ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#callbacks)',
        ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey, '#callbacks': 'callbacks' },
        ExpressionAttributeValues: { ':callbacks': { [event]: callback } },
      });
    // Every condition refused means there is no job (any more): nothing is written.
    if (!(await intoMap()) && !(await newMap())) await intoMap();
  }

  /** Sends an unversioned update; false when its condition failed. Never touches `version` or `updatedAt`. */
  private async conditionalUpdate(
    jobId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: keyOf(jobId), ...update }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
