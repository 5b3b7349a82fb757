import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { AwsClients } from '#shared/composition/family';
import type { LocalHandler } from '../lambda/async-invoker.js';
import { onDynamoDbRequest } from './dynamodb-meter.js';
import { meterDynamoDbWrites } from './dynamodb-write-meter.js';

/** What the requests made on behalf of one function (or outside any, `(outside)`) cost; every figure counted. */
export type AwsUsage = {
  /** Invocations and their wall time (ms). */
  invocations: number;
  ms: number;
  /** HTTP API requests: invocations with an API Gateway payload v2.0 event. */
  apiGatewayRequests: number;
  dynamodb: {
    requests: Record<string, number>;
    itemsRead: number;
    /** Read request units as DynamoDB reports them (ConsumedCapacity TOTAL, asked for on every read). */
    readUnits: number;
    /** Write request units: the table's plus `indexWriteUnits`, the index entries each write added, moved or rewrote. */
    writeUnits: number;
    indexWriteUnits: number;
  };
  /** SQS requests by action; `emptyReceives` (polls that found nothing) are the poller's idle cost, not a clone's. */
  sqs: { requests: Record<string, number>; emptyReceives: number };
  /** PutEvents requests and the events they carried (EventBridge bills events). */
  eventBridge: { requests: number; events: number };
};

/** The bucket of requests made outside any function invocation (the local SQS poller, a bench's own calls). */
export const OUTSIDE = '(outside)';

const empty = (): AwsUsage => ({
  invocations: 0,
  ms: 0,
  apiGatewayRequests: 0,
  dynamodb: { requests: {}, itemsRead: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0 },
  sqs: { requests: {}, emptyReceives: 0 },
  eventBridge: { requests: 0, events: 0 },
});

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Adds `usage` into `into` (figure by figure). */
export const addUsage = (into: AwsUsage, usage: AwsUsage): AwsUsage => {
  into.invocations += usage.invocations;
  into.ms += usage.ms;
  into.apiGatewayRequests += usage.apiGatewayRequests;
  for (const [k, n] of Object.entries(usage.dynamodb.requests)) bump(into.dynamodb.requests, k, n);
  into.dynamodb.itemsRead += usage.dynamodb.itemsRead;
  into.dynamodb.readUnits += usage.dynamodb.readUnits;
  into.dynamodb.writeUnits += usage.dynamodb.writeUnits;
  into.dynamodb.indexWriteUnits += usage.dynamodb.indexWriteUnits;
  for (const [k, n] of Object.entries(usage.sqs.requests)) bump(into.sqs.requests, k, n);
  into.sqs.emptyReceives += usage.sqs.emptyReceives;
  into.eventBridge.requests += usage.eventBridge.requests;
  into.eventBridge.events += usage.eventBridge.events;
  return into;
};

/**
 * Meters a local stack: a middleware on each SDK client it builds (DynamoDB reads by their consumed capacity, writes
 * by the item and index entries they touch, SQS actions, EventBridge events) and a wrapper around each function's
 * handler (invocations, wall time). Each request is booked to the function whose invocation made it (an
 * AsyncLocalStorage context), so a figure of one function is not blurred by others running meanwhile.
 */
export function makeAwsMeter() {
  const invocation = new AsyncLocalStorage<string>();
  let byFunction = new Map<string, AwsUsage>();
  const current = (): AwsUsage => {
    const name = invocation.getStore() ?? OUTSIDE;
    const usage = byFunction.get(name) ?? empty();
    byFunction.set(name, usage);
    return usage;
  };

  const meterDynamo = (client: DynamoDBClient, raw?: DynamoDBClient) => {
    onDynamoDbRequest(client, ({ command, itemsRead, readUnits }) => {
      const usage = current().dynamodb;
      bump(usage.requests, command.replace(/Command$/, ''));
      usage.itemsRead += itemsRead;
      usage.readUnits += readUnits;
    });
    if (raw)
      meterDynamoDbWrites(client, raw, ({ table, indexes }) => {
        const usage = current().dynamodb;
        usage.writeUnits += table + indexes;
        usage.indexWriteUnits += indexes;
      });
  };
  const meterSqs = (client: SQSClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const command = String(context.commandName);
        const usage = current().sqs;
        bump(usage.requests, command.replace(/Command$/, ''));
        const messages = (result.output as { Messages?: unknown[] }).Messages;
        if (command === 'ReceiveMessageCommand' && !messages?.length) usage.emptyReceives++;
        return result;
      },
      { step: 'initialize', name: 'instacloneSqsMeter' },
    );
  const meterEventBridge = (client: EventBridgeClient) =>
    client.middlewareStack.add(
      (next) => async (args) => {
        const usage = current().eventBridge;
        usage.requests++;
        usage.events += ((args.input as { Entries?: unknown[] }).Entries ?? []).length;
        return next(args);
      },
      { step: 'initialize', name: 'instacloneEventBridgeMeter' },
    );

  return {
    /**
     * Meters these clients (the ones the stack hands its adapters) and returns them. `rawDynamo`, an unmetered client
     * of the same table, reads items before and after each write; without it write units are not counted.
     */
    clients<C extends Partial<AwsClients>>(clients: C, rawDynamo?: DynamoDBClient): C {
      if (clients.dynamo) meterDynamo(clients.dynamo, rawDynamo);
      if (clients.sqs) meterSqs(clients.sqs);
      if (clients.eventBridge) meterEventBridge(clients.eventBridge);
      return clients;
    },
    /** Wraps every handler: each invocation is counted with its wall time, and the requests it makes booked to it. */
    handlers<K extends string>(handlers: Record<K, LocalHandler>): Record<K, LocalHandler> {
      const wrap =
        (name: string, handler: LocalHandler): LocalHandler =>
        (event: unknown, context: Context) =>
          invocation.run(name, async () => {
            const started = performance.now();
            const usage = current();
            if ((event as { requestContext?: { http?: unknown } } | null)?.requestContext?.http)
              usage.apiGatewayRequests++;
            try {
              return await handler(event, context);
            } finally {
              usage.invocations++;
              usage.ms += performance.now() - started;
            }
          });
      return Object.fromEntries(
        Object.entries<LocalHandler>(handlers).map(([name, handler]) => [name, wrap(name, handler)]),
      ) as Record<K, LocalHandler>;
    },
    /** A copy of the usage so far, by function folder name (and {@link OUTSIDE}). */
    usage(): Record<string, AwsUsage> {
      return structuredClone(Object.fromEntries(byFunction));
    },
    /** The usage of one function so far (zeroes when it made none). */
    of(name: string): AwsUsage {
      return structuredClone(byFunction.get(name) ?? empty());
    },
    /** The usage of every function summed. */
    total(): AwsUsage {
      return [...byFunction.values()].reduce(addUsage, empty());
    },
    reset(): void {
      byFunction = new Map();
    },
  };
}

export type AwsMeter = ReturnType<typeof makeAwsMeter>;
