import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { INDEX_GENERATION, MIGRATION_KEY } from '#shared/clones/adapters/job-index-migration';
import { JOB_TABLE, JOB_TABLE_INDEXES } from '#shared/config/resources';

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

/**
 * Makes sure the jobs table exists with the deployed key schema and every index of `JOB_TABLE`. A new table is
 * created and recorded as migrated (it holds no old job). Rejects when the emulator does, and for a table of an
 * older data folder that lacks an index.
 */
export async function ensureJobsTable(client: DynamoDBClient, tableName: string): Promise<void> {
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
  const missing = JOB_TABLE_INDEXES.filter((index) => !present.has(index.name)).map((index) => index.name);
  if (missing.length > 0) throw new Error(`${tableName} lacks the indexes ${missing.join(', ')}`);
}
