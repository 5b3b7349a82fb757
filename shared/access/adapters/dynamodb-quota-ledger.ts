import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { JOB_TABLE } from '../../config/resources.js';
import type { QuotaCharge, QuotaLedger, QuotaOutcome, QuotaUsage } from '../ports/quota-ledger.js';

const PREFIX = 'QUOTA#';
/** Every counter sits in one partition of the status index, so the repair finds them with a Query, not a Scan. */
const INDEX_PARTITION = 'QUOTA';
const keyOf = (key: string) => ({ [JOB_TABLE.partitionKey]: `${PREFIX}${key}` });
const toUsage = (item: Record<string, unknown>): QuotaUsage => ({
  key: String(item[JOB_TABLE.partitionKey]).slice(PREFIX.length),
  live: [...((item.live as Set<string> | undefined) ?? [])].sort(),
  active: [...((item.active as Set<string> | undefined) ?? [])].sort(),
  ...(typeof item.acquiredAt === 'string' && { acquiredAt: item.acquiredAt }),
});
const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

/**
 * QuotaLedger on one item per counter in the jobs table (`pk = QUOTA#<key>`; in the status index under `QUOTA`, apart
 * from every job status, so listing them is a Query), holding two
 * string sets of job ids: `live` and `active`. Acquire is a single UpdateItem: `ADD` the ids to both sets on the
 * condition that each limited set still has room for them (`size(set) <= limit - n`); DynamoDB serialises writes to
 * one item, so concurrent acquires can never pass a limit together. Release is `DELETE` from the sets. No
 * transactions, so it runs on dynalite too. A limit can be at most 1,000 (about 40 KB of ids per set).
 */
export class DynamoDbQuotaLedger implements QuotaLedger {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async acquire(charge: QuotaCharge, now: Date): Promise<QuotaOutcome> {
    const n = charge.jobIds.length;
    const [first] = charge.jobIds;
    if (first === undefined) return { granted: true };
    const limits = { liveClones: charge.liveClones, concurrentJobs: charge.concurrentJobs };
    for (const [field, limit] of Object.entries(limits) as Array<[keyof typeof limits, number | undefined]>) {
      if (limit !== undefined && n > limit) return { granted: false, field, limit, inUse: 0 };
    }
    const room = (set: string, limit: number | undefined) =>
      limit === undefined ? [] : [`(attribute_not_exists(${set}) OR size(${set}) <= :${set}Room)`];
    const conditions = [...room('live', limits.liveClones), ...room('active', limits.concurrentJobs)];
    // DynamoDB refuses redundant parentheses: a single condition is already parenthesised.
    const fits = conditions.length === 1 ? conditions[0] : `(${conditions.join(' AND ')})`;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(charge.key),
          UpdateExpression: 'ADD live :ids, active :ids SET acquiredAt = :now, #gpk = :partition, #gsk = :key',
          ExpressionAttributeNames: {
            '#gpk': JOB_TABLE.statusIndex.partitionKey,
            '#gsk': JOB_TABLE.statusIndex.sortKey,
          },
          // A retried acquire whose first attempt was written finds its own first id: granted, nothing counted twice.
          ...(conditions.length > 0 && { ConditionExpression: `contains(live, :first) OR ${fits}` }),
          ExpressionAttributeValues: {
            ':ids': new Set(charge.jobIds),
            ':now': now.toISOString(),
            ':partition': INDEX_PARTITION,
            ':key': charge.key,
            ...(conditions.length > 0 && { ':first': first }),
            ...(limits.liveClones !== undefined && { ':liveRoom': limits.liveClones - n }),
            ...(limits.concurrentJobs !== undefined && { ':activeRoom': limits.concurrentJobs - n }),
          },
        }),
      );
      return { granted: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const usage = await this.usage(charge.key);
    const liveFull = limits.liveClones !== undefined && usage.live.length > limits.liveClones - n;
    return liveFull
      ? { granted: false, field: 'liveClones', limit: limits.liveClones ?? 0, inUse: usage.live.length }
      : { granted: false, field: 'concurrentJobs', limit: limits.concurrentJobs ?? 0, inUse: usage.active.length };
  }

  releaseActive(key: string, jobIds: readonly string[]): Promise<void> {
    return this.remove(key, jobIds, 'DELETE active :ids');
  }

  releaseLive(key: string, jobIds: readonly string[]): Promise<void> {
    return this.remove(key, jobIds, 'DELETE live :ids, active :ids');
  }

  async usage(key: string): Promise<QuotaUsage> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    return Item ? toUsage(Item) : { key, live: [], active: [] };
  }

  async list(page: { limit: number; cursor?: string }): Promise<{ usages: QuotaUsage[]; cursor?: string }> {
    const { Items = [], LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: JOB_TABLE.statusIndex.name,
        KeyConditionExpression: '#gpk = :partition',
        ExpressionAttributeNames: { '#gpk': JOB_TABLE.statusIndex.partitionKey },
        ExpressionAttributeValues: { ':partition': INDEX_PARTITION },
        Limit: page.limit,
        ...(page.cursor !== undefined && { ExclusiveStartKey: decodeCursor(page.cursor) }),
      }),
    );
    return { usages: Items.map(toUsage), ...(LastEvaluatedKey && { cursor: encodeCursor(LastEvaluatedKey) }) };
  }

  /** DELETE from the sets, only on an existing item: an UpdateItem on a missing key would create an empty one. */
  private async remove(key: string, jobIds: readonly string[], expression: string): Promise<void> {
    if (jobIds.length === 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey },
          ExpressionAttributeValues: { ':ids': new Set(jobIds) },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}
