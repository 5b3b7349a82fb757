import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { SubmissionLedger, SubmissionRecord } from '../ports/submission-ledger.js';

/**
 * SubmissionLedger in the job table: one item per key, `pk = SUBMISSION#<sha256 of the key>` (a caller's key never
 * becomes part of a table key as it is), holding the request's fingerprint and its job ids (about 40 bytes per job,
 * so 100 jobs fit easily) with the table's TTL attribute. No status-index keys: it never shows in listings. DynamoDB's
 * TTL deletes lazily, so an expired item counts as absent.
 */
export class DynamoDbSubmissionLedger implements SubmissionLedger {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  private keyOf(key: string) {
    return { [JOB_TABLE.partitionKey]: `SUBMISSION#${createHash('sha256').update(key).digest('hex')}` };
  }

  async remember(
    key: string,
    record: SubmissionRecord,
    { ttlSeconds, now }: { ttlSeconds: number; now: Date },
  ): Promise<SubmissionRecord> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // Twice at most: an earlier record that expires (and is deleted) between our write and our read leaves room.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.putIfAbsent(key, record, nowSeconds, ttlSeconds)) return record;
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: this.keyOf(key), ConsistentRead: true }),
      );
      if (Item && Number(Item[JOB_TABLE.ttlAttribute]) >= nowSeconds) {
        return { fingerprint: String(Item.fingerprint), jobIds: (Item.jobIds as string[]) ?? [] };
      }
    }
    throw new Error('submission ledger: no record could be written or read');
  }

  private async putIfAbsent(key: string, record: SubmissionRecord, nowSeconds: number, ttlSeconds: number) {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...this.keyOf(key),
            fingerprint: record.fingerprint,
            jobIds: record.jobIds,
            [JOB_TABLE.ttlAttribute]: nowSeconds + ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#pk': JOB_TABLE.partitionKey, '#ttl': JOB_TABLE.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
