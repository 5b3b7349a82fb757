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

export const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

/** Items a read command's output says DynamoDB read. */
export const itemsOf = (command: string, output: Output): number => {
  if (command === 'GetItemCommand') return output.Item ? 1 : 0;
  if (command === 'BatchGetItemCommand')
    return Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
  return output.ScannedCount ?? 0;
};

/** Capacity units of a ConsumedCapacity (one or a list). */
export const unitsOf = (capacity: unknown): number =>
  (Array.isArray(capacity) ? (capacity as Capacity[]) : [capacity as Capacity | undefined]).reduce(
    (sum, c) => sum + (c?.CapacityUnits ?? 0),
    0,
  );

/**
 * Counts what the DynamoDB requests of `client` read, through a middleware on the client itself, so every adapter
 * built on it (document clients included) is counted as it really runs. Reads ask for ReturnConsumedCapacity.
 * Returns the running totals (live object) and `reset()`.
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
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const input = args.input as Record<string, unknown>;
      if (READS.has(command) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      totals.requests[command] = (totals.requests[command] ?? 0) + 1;
      if (READS.has(command)) {
        const output = result.output as Output;
        totals.itemsRead += itemsOf(command, output);
        totals.readUnits += unitsOf(output.ConsumedCapacity);
      }
      return result;
    },
    { step: 'initialize', name: 'instacloneReadMeter' },
  );
  return totals;
}
