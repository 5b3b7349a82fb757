import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { JOB_TABLE } from '../../config/resources.js';
import type { IndexPartition } from './job-index-keys.js';

/** The sort key every index of the job table shares: `<createdAt>#<jobId>`. */
const SORT_KEY = JOB_TABLE.statusIndex.sortKey;

/**
 * Which part of the merged order to read. `after` is a position (`<createdAt>#<jobId>`, exclusive) the caller
 * checked; `createdSince` an ISO time (inclusive). `newestFirst` reverses the order.
 */
export type MergedRange = { after?: string; createdSince?: string; newestFirst?: boolean };

type Item = Record<string, unknown>;

/** DynamoDB's Query page limit, which a merged page keeps too. */
const PAGE_BYTES = 1024 * 1024;
type PartitionCursor = { partition: IndexPartition; buffer: Item[]; start?: Record<string, unknown>; done: boolean };

/** The key condition of one partition within `range`. */
const keyCondition = (partition: IndexPartition, range: MergedRange) => {
  const values: Record<string, unknown> = { ':pk': partition.value, ...partition.filter?.values };
  let bound = '';
  const { after, createdSince: since } = range;
  if (range.newestFirst) {
    // BETWEEN is inclusive: the `after` item itself is dropped when read (see readInto).
    if (after !== undefined && since !== undefined) bound = ' AND #sk BETWEEN :since AND :after';
    else if (after !== undefined) bound = ' AND #sk < :after';
    else if (since !== undefined) bound = ' AND #sk >= :since';
  } else if (after !== undefined && (since === undefined || after >= since)) bound = ' AND #sk > :after';
  else if (since !== undefined) bound = ' AND #sk >= :since';
  if (bound.includes(':after')) values[':after'] = after;
  if (bound.includes(':since')) values[':since'] = since;
  return {
    KeyConditionExpression: `#pk = :pk${bound}`,
    ExpressionAttributeNames: {
      '#pk': partition.index.partitionKey,
      ...(bound && { '#sk': SORT_KEY }),
      ...partition.filter?.names,
    },
    ExpressionAttributeValues: values,
    ...(partition.filter && { FilterExpression: partition.filter.expression }),
  };
};

/**
 * Reads the job table's index partitions `partitions` (an index's shards, plus legacy partitions during a migration)
 * as one list in sort key order, oldest first (or newest first), `limit` items at most: each partition is read in
 * small pages, fetched again only once the merge has used up what it read, so a page costs about `limit` items
 * read, not `limit` per partition. Like a Query page it ends after about 1 MB of items. `more` tells whether items may follow the last one returned (resume with its
 * position as `after`). Rejects when DynamoDB does.
 */
export async function queryMerged(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partitions: readonly IndexPartition[],
  range: MergedRange,
  limit: number,
): Promise<{ items: Item[]; more: boolean }> {
  const pageSize = Math.max(4, Math.ceil((limit / partitions.length) * 1.5));
  const cursors: PartitionCursor[] = partitions.map((partition) => ({ partition, buffer: [], done: false }));
  const readInto = async (cursor: PartitionCursor): Promise<void> => {
    // A filtered partition may answer a page with no item: read on until one comes or the partition ends.
    while (cursor.buffer.length === 0 && !cursor.done) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: cursor.partition.index.name,
          ...keyCondition(cursor.partition, range),
          ScanIndexForward: !range.newestFirst,
          Limit: pageSize,
          ...(cursor.start && { ExclusiveStartKey: cursor.start }),
        }),
      );
      cursor.buffer.push(...(page.Items ?? []).filter((item) => item[SORT_KEY] !== range.after));
      cursor.start = page.LastEvaluatedKey;
      cursor.done = page.LastEvaluatedKey === undefined;
    }
  };
  const before = (a: Item, b: Item) =>
    range.newestFirst ? String(a[SORT_KEY]) > String(b[SORT_KEY]) : String(a[SORT_KEY]) < String(b[SORT_KEY]);
  const items: Item[] = [];
  let bytes = 0;
  // Like one Query page, a merged page stops after 1 MB of items, so a caller bounding its answer can stop between pages.
  while (items.length < limit && bytes < PAGE_BYTES) {
    // An item may be taken only while every partition that could still hold an earlier one shows its next item.
    await Promise.all(cursors.filter((c) => c.buffer.length === 0 && !c.done).map(readInto));
    let next: PartitionCursor | undefined;
    for (const cursor of cursors) {
      const head = cursor.buffer[0];
      if (head && (!next || before(head, next.buffer[0] as Item))) next = cursor;
    }
    if (!next) return { items, more: false };
    const item = next.buffer.shift() as Item;
    items.push(item);
    bytes += Buffer.byteLength(JSON.stringify(item));
  }
  return { items, more: cursors.some((c) => c.buffer.length > 0 || !c.done) };
}

/**
 * How many items `partitions` hold (created since `createdSince`, when given), counted by DynamoDB (`Select: COUNT`):
 * nothing is returned, but every counted item is read, so count only partitions of active work or a recent window.
 */
export async function countMerged(
  doc: DynamoDBDocumentClient,
  tableName: string,
  partitions: readonly IndexPartition[],
  createdSince?: string,
): Promise<number> {
  const counts = await Promise.all(
    partitions.map(async (partition) => {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: partition.index.name,
            ...keyCondition(partition, createdSince === undefined ? {} : { createdSince }),
            Select: 'COUNT',
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}
