import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { updateExpression } from '../../aws/dynamodb-update-expression.js';
import { JOB_TABLE } from '../../config/resources.js';
import { InvalidCursorError, StaleTransitionError } from '../../errors/app-error.js';
import type { CallbackEvent, CloneJob, JobCallback, JobStatus } from '../model/clone-job.js';
import { isJobId } from '../model/job-id.js';
import type { JobChange } from '../model/job-transition.js';
import { boundCallback, boundJobFields } from '../model/stored-text.js';
import type { JobPage, JobRepository, ListPageRequest, ListPosition } from '../ports/job-repository.js';

/** The table key of job `jobId`. */
export const keyOf = (jobId: string) => ({ [JOB_TABLE.partitionKey]: `JOB#${jobId}` });
const sortKeyOf = (job: ListPosition): string => `${job.createdAt}#${job.jobId}`;
const statusKeys = (status: JobStatus, job: ListPosition) => ({
  [JOB_TABLE.statusIndex.partitionKey]: `STATUS#${status}`,
  [JOB_TABLE.statusIndex.sortKey]: sortKeyOf(job),
});

/** The status index's key condition for one status, bounded by `createdSince` and `before` when given. */
const statusKeyCondition = (status: JobStatus, page: ListPageRequest) => {
  const values: Record<string, string> = { ':gpk': `STATUS#${status}` };
  let range = '';
  if (page.createdSince !== undefined && page.before !== undefined) {
    // BETWEEN is inclusive: the `before` job itself is dropped from the answer.
    range = ' AND #gsk BETWEEN :since AND :before';
    Object.assign(values, { ':since': page.createdSince, ':before': sortKeyOf(page.before) });
  } else if (page.createdSince !== undefined) {
    range = ' AND #gsk >= :since';
    values[':since'] = page.createdSince;
  } else if (page.before !== undefined) {
    range = ' AND #gsk < :before';
    values[':before'] = sortKeyOf(page.before);
  }
  const names = { '#gpk': JOB_TABLE.statusIndex.partitionKey, ...(range && { '#gsk': JOB_TABLE.statusIndex.sortKey }) };
  return {
    KeyConditionExpression: `#gpk = :gpk${range}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
const INTERNAL = new Set<string>([
  JOB_TABLE.partitionKey,
  JOB_TABLE.statusIndex.partitionKey,
  JOB_TABLE.statusIndex.sortKey,
]);

/** A job item as the domain sees it: without the table and index keys. */
export const toJob = (item: Record<string, unknown>): CloneJob =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as CloneJob;

const foreignCursor = () => new InvalidCursorError('is not a cursor this API issued');
const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');
/** The reconciler's Scan cursor: the table key of the last job it read, and nothing else. */
const decodeScanCursor = (cursor: string): Record<string, unknown> => {
  const key = decodeJson(cursor) as Record<string, unknown> | undefined;
  const pk = key?.[JOB_TABLE.partitionKey];
  if (!key || Object.keys(key).length !== 1 || typeof pk !== 'string' || !isJobId(pk.slice('JOB#'.length)))
    throw foreignCursor();
  return key;
};
const decodeJson = (cursor: string): unknown => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

const INDEX_POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z)#([A-Za-z0-9-]{1,64})$/;
/**
 * A status listing's cursor is the index position of the last job it returned (`<createdAt>#<jobId>`); the whole
 * start key is rebuilt from it and the status asked for, so no cursor, however forged, reaches DynamoDB as anything
 * but a well-formed key of that status's partition. Throws InvalidCursorError for anything else.
 */
const statusStartKey = (status: JobStatus, cursor: string) => {
  const position = INDEX_POSITION.exec(String(decodeJson(cursor) ?? ''));
  if (!position) throw foreignCursor();
  return {
    ...keyOf(position[2] ?? ''),
    ...statusKeys(status, { createdAt: position[1] ?? '', jobId: position[2] ?? '' }),
  };
};

/**
 * JobRepository on one DynamoDB item per job (`pk = JOB#<id>`), with the status GSI keys kept in step.
 * Every change (decided by the model's `transition`) is a conditional update on the expected status and version, so
 * a stale or duplicate delivery fails with StaleTransitionError instead of moving a job backwards; callback outcomes,
 * which live beside the state machine, are conditional on the job existing only. Text from outside (fault messages,
 * vCenter's answers, callback reasons) is bounded before it is written (STORED_TEXT_LIMITS), so no write outgrows
 * the item limit. No transactions: it runs on dynalite too.
 */
export class DynamoDbJobRepository implements JobRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  async create(job: CloneJob): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...boundJobFields(job), ...keyOf(job.jobId), ...statusKeys(job.status, job) },
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
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: JOB_TABLE.statusIndex.name,
        ...statusKeyCondition(status, page),
        ScanIndexForward: !page.newestFirst,
        Limit: page.limit,
        ...(page.cursor !== undefined && { ExclusiveStartKey: statusStartKey(status, page.cursor) }),
      }),
    );
    const last = LastEvaluatedKey?.[JOB_TABLE.statusIndex.sortKey];
    const before = page.before && sortKeyOf(page.before);
    const jobs = Items.filter((item) => item[JOB_TABLE.statusIndex.sortKey] !== before).map(toJob);
    return { jobs, ...(typeof last === 'string' && { cursor: encodeCursor(last) }) };
  }

  async listUnsettled(page: { limit: number; cursor?: string }): Promise<JobPage> {
    // A Scan, not the status index: it sees every job row even if its index entry went missing.
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        FilterExpression:
          'begins_with(#pk, :job) AND (#status IN (:queued, :running, :destroying) OR attribute_not_exists(#announced) OR #announced <> #status OR #cleanup = :true)',
        ExpressionAttributeNames: {
          '#pk': JOB_TABLE.partitionKey,
          '#status': 'status',
          '#announced': 'announced',
          '#cleanup': 'cleanupPending',
        },
        ExpressionAttributeValues: {
          ':job': 'JOB#',
          ':queued': 'QUEUED',
          ':running': 'RUNNING',
          ':destroying': 'DESTROYING',
          ':true': true,
        },
        Limit: page.limit,
        ...(page.cursor !== undefined && { ExclusiveStartKey: decodeScanCursor(page.cursor) }),
      }),
    );
    return { jobs: Items.map(toJob), ...(LastEvaluatedKey && { cursor: encodeCursor(LastEvaluatedKey) }) };
  }

  async save(change: JobChange): Promise<CloneJob> {
    const { expected } = change;
    const moves = change.status !== expected.status;
    const sets: Record<string, unknown> = {
      ...(moves && { status: change.status, ...statusKeys(change.status, change) }),
      updatedAt: change.updatedAt,
    };
    const removes: string[] = [];
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
