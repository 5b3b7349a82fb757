import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';

/**
 * DeliveryLedger in the job table: one item per delivery, `pk = DELIVERY#<scope>#<id>`, with the table's TTL
 * attribute (`expiresAt`, epoch seconds). No status-index keys, so it never shows in job listings. DynamoDB's
 * TTL deletes lazily (up to days late), so an expired item counts as absent in the condition.
 */
export class DynamoDbDeliveryLedger implements DeliveryLedger {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly scope: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  private key(id: string) {
    return { [JOB_TABLE.partitionKey]: `DELIVERY#${this.scope}#${id}` };
  }

  async claim(id: string, { ttlSeconds, now }: { ttlSeconds: number; now: Date }): Promise<boolean> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(id), [JOB_TABLE.ttlAttribute]: nowSeconds + ttlSeconds, receivedAt: now.toISOString() },
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

  async release(id: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(id) }));
  }
}
