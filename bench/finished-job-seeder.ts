import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { indexAttributesOf, keyOf } from '#shared/clones/adapters/job-index-keys';
import type { JobStatus } from '#shared/clones/model/clone-job';
import { JOB_TABLE } from '#shared/config/resources';
import { POOL_LABEL } from '#shared/pools/model/pool';

type Item = Record<string, AttributeValue>;

/** How the seeded history divides: mostly destroyed clones, some failures, a few leased clones still alive. */
const STATUS_MIX: readonly JobStatus[] = [...Array(16).fill('DESTROYED'), 'FAILED', 'FAILED', 'FAILED', 'SUCCEEDED'];
const BATCH = 25;
const PARALLEL = 8;
const DAY_MS = 86_400_000;

/** Reads job `jobId` as stored (the template every seeded job copies: a real job's attributes and size). */
export const readStoredJob = async (client: DynamoDBClient, tableName: string, jobId: string): Promise<Item> => {
  const key = keyOf(jobId);
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: key[JOB_TABLE.partitionKey] as string } } }),
  );
  if (!Item) throw new Error(`job ${jobId} is not in ${tableName}`);
  return Item;
};

/** Finished job `i` of a seeded history: the template with its own id, status and time, announced and settled. */
const finishedJob = (template: Item, i: number, now: number): Item => {
  const jobId = `seed${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
  const status = STATUS_MIX[i % STATUS_MIX.length] as JobStatus;
  // One destroyed clone in ten came from the warm pool: it must stay out of the pool's index.
  const pool = status === 'DESTROYED' && i % 10 === 0 ? 'bench' : undefined;
  const createdAt = new Date(now - 7 * DAY_MS + i).toISOString();
  const request = structuredClone(template.request?.M ?? {});
  if (pool) request.labels = { M: { [POOL_LABEL]: { S: pool } } };
  const { unsettledpk: _u, poolpk: _p, attempt: _a, ...rest } = template;
  const indexes = indexAttributesOf({
    jobId,
    createdAt,
    status,
    announced: status,
    cleanupPending: false,
    request: { labels: pool ? { [POOL_LABEL]: pool } : {} } as never,
  });
  const item: Item = {
    ...rest,
    pk: { S: `JOB#${jobId}` },
    jobId: { S: jobId },
    status: { S: status },
    announced: { S: status },
    createdAt: { S: createdAt },
    updatedAt: { S: createdAt },
    vmName: { S: `ic-${jobId}` },
    request: { M: request },
  };
  for (const [name, value] of Object.entries(indexes)) if (value !== undefined) item[name] = { S: value };
  return item;
};

/**
 * Writes `count` finished jobs shaped like `template` straight into the table with BatchWriteItem (the API would
 * take hours for 100,000), 8 batches of 25 at a time, retrying unprocessed items. Resolves with the ms it took.
 */
export async function seedFinishedJobs(
  client: DynamoDBClient,
  tableName: string,
  template: Item,
  count: number,
): Promise<number> {
  const started = performance.now();
  const now = Date.now();
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + BATCH);
      let requests = Array.from({ length: next - from }, (_, k) => ({
        PutRequest: { Item: finishedJob(template, from + k, now) },
      }));
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, writer));
  return performance.now() - started;
}
