import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What DynamoDB requests through one metered client cost, summed. */
export type DynamoDbReads = {
  /** Requests by command (`GetItemCommand`, `QueryCommand`, …). */
  requests: Record<string, number>;
  /** Items DynamoDB read: a Query's or Scan's ScannedCount (counted or returned), a GetItem that found its item. */
  itemsRead: number;
  /** Read capacity units DynamoDB reported (ReturnConsumedCapacity TOTAL, asked for on every read). */
  readUnits: number;
};

type Output = {
  ScannedCount?: number;
  Item?: unknown;
  Responses?: Record<string, unknown[]>;
  ConsumedCapacity?: unknown;
};
type Capacity = { CapacityUnits?: number };

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

const itemsOf = (command: string, output: Output): number => {
  if (command === 'GetItemCommand') return output.Item ? 1 : 0;
  if (command === 'BatchGetItemCommand')
    return Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
  return output.ScannedCount ?? 0;
};

const unitsOf = (capacity: unknown): number =>
  (Array.isArray(capacity) ? (capacity as Capacity[]) : [capacity as Capacity | undefined]).reduce(
    (sum, c) => sum + (c?.CapacityUnits ?? 0),
    0,
  );

/** What one request through a metered client did: its command, and for a read, the items and units it read. */
export type DynamoDbRequest = { command: string; itemsRead: number; readUnits: number };

/**
 * Adds a middleware to `client` that reports every request to `onRequest` once answered, in the caller's async
 * context; reads ask for ReturnConsumedCapacity so their units are DynamoDB's own. Every adapter built on the client
 * (document clients included) is counted as it really runs.
 */
export function onDynamoDbRequest(client: DynamoDBClient, onRequest: (request: DynamoDbRequest) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Record<string, unknown>;
      if (READS.has(command) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as Output;
      const read = READS.has(command);
      onRequest({
        command,
        itemsRead: read ? itemsOf(command, output) : 0,
        readUnits: read ? unitsOf(output.ConsumedCapacity) : 0,
      });
      return result;
    },
    { step: 'initialize', name: 'instacloneReadMeter' },
  );
}

/**
 * Counts what the DynamoDB requests of `client` read ({@link onDynamoDbRequest}). Returns the running totals (live
 * object) and `reset()`.
 */
export function meterDynamoDbReads(client: DynamoDBClient): DynamoDbReads & { reset(): void } {
  const totals = {
    requests: {} as Record<string, number>,
    itemsRead: 0,
    readUnits: 0,
    reset() {
      totals.requests = {};
      totals.itemsRead = 0;
      totals.readUnits = 0;
    },
  };
  onDynamoDbRequest(client, ({ command, itemsRead, readUnits }) => {
    totals.requests[command] = (totals.requests[command] ?? 0) + 1;
    totals.itemsRead += itemsRead;
    totals.readUnits += readUnits;
  });
  return totals;
}
