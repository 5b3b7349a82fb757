import { createRequire } from 'node:module';
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { JOB_TABLE, JOB_TABLE_INDEXES, type JobTableIndex } from '#shared/config/resources';

type Item = Record<string, AttributeValue>;
/** dynalite's own item size (DynamoDB's rules: attribute names plus values), the one its capacity figures use. */
const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as { itemSize: (item: Item) => number };

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const KB = 1024;
const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** The index entry `item` has in `index` (absent for a sparse index without its key), with the size it bills. */
const entryOf = (item: Item | undefined, index: JobTableIndex) => {
  const pk = item?.[index.partitionKey]?.S;
  const sk = item?.[index.sortKey]?.S;
  if (!item || pk === undefined || sk === undefined) return undefined;
  const keys = [JOB_TABLE.partitionKey, index.partitionKey, index.sortKey];
  const projected =
    index.projection === 'ALL' ? item : Object.fromEntries(keys.map((k) => [k, item[k] as AttributeValue]));
  return { key: `${pk}\u0000${sk}`, size: itemSize(projected) };
};

/**
 * Write request units of one write, as on-demand DynamoDB bills it: the table (1 per started KiB of the larger of
 * the item before and after) plus, per index, 1 unit per KiB of an entry added or removed, both when its key moved,
 * and one for an `ALL` entry rewritten in place. A write that changed nothing (a failed condition) costs the table's
 * units only.
 */
export const writeUnitsOf = (before: Item | undefined, after: Item | undefined) => {
  const table = units(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  let indexes = 0;
  for (const index of changed ? JOB_TABLE_INDEXES : []) {
    const old = entryOf(before, index);
    const now = entryOf(after, index);
    if (old && now && old.key === now.key)
      indexes += index.projection === 'ALL' ? units(Math.max(old.size, now.size)) : 0;
    else indexes += (old ? units(old.size) : 0) + (now ? units(now.size) : 0);
  }
  return { table, indexes };
};

const asAttribute = (value: unknown): AttributeValue =>
  typeof value === 'string' ? { S: value } : (value as AttributeValue);

/**
 * Counts the write units of every PutItem, UpdateItem and DeleteItem through `client`: a middleware reads the item
 * before and after the write with `raw` (an unmetered client of the same table, consistent reads) and applies
 * {@link writeUnitsOf}, reported to `onWrite` in the writer's async context. Meant for benches: it adds two reads per write, and a write racing another on the same item
 * may be billed against the other's result.
 */
export function meterDynamoDbWrites(
  client: DynamoDBClient,
  raw: DynamoDBClient,
  onWrite: (units: { table: number; indexes: number }) => void,
): void {
  const read = async (TableName: string, Key: Item) =>
    (await raw.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITES.has(String(context.commandName))) return next(args);
      const input = args.input as { TableName: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> };
      const key = { [JOB_TABLE.partitionKey]: asAttribute((input.Key ?? input.Item)?.[JOB_TABLE.partitionKey]) };
      const before = await read(input.TableName, key);
      try {
        return await next(args);
      } finally {
        onWrite(writeUnitsOf(before, await read(input.TableName, key)));
      }
    },
    { step: 'initialize', name: 'instacloneWriteMeter' },
  );
}
