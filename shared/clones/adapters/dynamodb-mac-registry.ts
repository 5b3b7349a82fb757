import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { MacHolding, MacRegistry } from '../ports/mac-registry.js';

const macKey = (mac: string) => ({ [JOB_TABLE.partitionKey]: `MAC#${mac}` });
const rangeKey = (range: string) => ({ [JOB_TABLE.partitionKey]: `MACRANGE#${range}` });

const toHolding = (item: Record<string, unknown>): MacHolding => ({
  mac: String(item.mac),
  jobId: String(item.jobId),
  since: String(item.since),
  ...(typeof item.range === 'string' && { range: item.range }),
});

/** Runs a conditional write: false when its condition failed. */
const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
};

/**
 * MacRegistry in the jobs table: one item per MAC ever held (`pk = MAC#<mac>`: `mac`, and while held `jobId`,
 * `since`, `range`) and one cursor per managed range (`pk = MACRANGE#<name>`: `cursor`), outside the status index.
 * A claim is one PutItem conditional on the MAC being free (no holder), already the same job's, or (a take-over)
 * still held exactly as the caller read it; DynamoDB serialises writes to one item, so of any number of racing
 * claims one wins. A release removes the holder with a conditional UpdateItem (the worker, which frees MACs, needs
 * no DeleteItem on the job table). No transactions, so it runs on dynalite too.
 */
export class DynamoDbMacRegistry implements MacRegistry {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  claim(holding: MacHolding, replacing?: MacHolding): Promise<boolean> {
    const condition = replacing
      ? { ConditionExpression: 'jobId = :oldJob AND since = :oldSince' }
      : { ConditionExpression: 'attribute_not_exists(jobId) OR jobId = :jobId' };
    const values = replacing
      ? { ':oldJob': replacing.jobId, ':oldSince': replacing.since }
      : { ':jobId': holding.jobId };
    return conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...holding, ...macKey(holding.mac) },
          ...condition,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async holder(mac: string): Promise<MacHolding | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: macKey(mac), ConsistentRead: true }),
    );
    return Item?.jobId === undefined ? undefined : toHolding(Item);
  }

  async release(mac: string, jobId: string): Promise<void> {
    await conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: macKey(mac),
          UpdateExpression: 'REMOVE jobId, since, #range',
          ConditionExpression: 'jobId = :jobId',
          ExpressionAttributeNames: { '#range': 'range' },
          ExpressionAttributeValues: { ':jobId': jobId },
        }),
      ),
    );
  }

  async nextInRange(range: string): Promise<number> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rangeKey(range),
        UpdateExpression: 'ADD #cursor :one',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.cursor ?? 1) - 1;
  }
}
