import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type EventPattern, matchesEventPattern } from '#shared/events/event-pattern';
import { consoleLogger, type LocalLogger } from '../local-logger.js';
import { clientPool, once } from './client-pool.js';
import { type BusEvent, type EntryFailure, type PutEventsEntry, toEnvelope } from './put-events-entry.js';

export type { BusEvent } from './put-events-entry.js';

export type BusRule = {
  name: string;
  pattern: EventPattern;
  /** Awaited before PutEvents answers; a throw or rejection is logged and never fails PutEvents. */
  target: (event: BusEvent) => Promise<void> | void;
};

export type EventBusOptions = {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The only bus this stand-in serves (name, or an ARN ending in `event-bus/<name>`). */
  busName: string;
  rules: BusRule[];
  logger?: LocalLogger;
};

export type EventBus = {
  endpoint: string;
  /** A real EventBridgeClient bound to this stand-in; destroyed by `close()`. */
  client(): EventBridgeClient;
  /** Every accepted event in arrival order (failed entries are not recorded). */
  published: BusEvent[];
  addRule(rule: BusRule): void;
  /** Stops the server and destroys handed-out clients. Idempotent. */
  close(): Promise<void>;
};

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

type ResultEntry = { EventId: string } | EntryFailure;

/**
 * Starts an EventBridge stand-in on 127.0.0.1 speaking AWS JSON 1.1 `AWSEvents.PutEvents`, so the real
 * `@aws-sdk/client-eventbridge` works against it via `endpoint`. Each valid entry is wrapped in the
 * standard envelope, recorded in `published`, and handed to every rule whose pattern matches.
 *
 * Differences from AWS: delivery is synchronous (targets run before PutEvents answers, so tests see
 * them at once), with no retries; other operations answer `UnknownOperationException`.
 */
export async function startEventBus(options: EventBusOptions): Promise<EventBus> {
  const rules = [...options.rules];
  const published: BusEvent[] = [];
  const logger = options.logger ?? consoleLogger;

  const deliver = async (event: BusEvent): Promise<void> => {
    for (const rule of rules) {
      try {
        if (matchesEventPattern(rule.pattern, event)) await rule.target(event);
      } catch (error) {
        logger.error('event bus rule target failed', { rule: rule.name, eventId: event.id, error });
      }
    }
  };

  const putEvents = async (body: unknown): Promise<{ FailedEntryCount: number; Entries: ResultEntry[] }> => {
    const entries = (body as { Entries?: unknown } | null)?.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new ValidationError(`Entries must hold 1 to ${MAX_ENTRIES} entries`);
    }
    const results: ResultEntry[] = [];
    for (const entry of entries as PutEventsEntry[]) {
      const checked = toEnvelope(entry, options.busName);
      if ('ErrorCode' in checked) {
        results.push(checked);
        continue;
      }
      published.push(checked);
      await deliver(checked);
      results.push({ EventId: checked.id });
    }
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  };

  const server = createServer((req, res) => {
    handle(req, res, putEvents).catch((error: unknown) => {
      logger.error('event bus request failed', { error });
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalException', message: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = clientPool(EventBridgeClient, endpoint);

  return {
    endpoint,
    published,
    addRule: (rule) => {
      rules.push(rule);
    },
    client: clients.client,
    close: once(
      () =>
        new Promise<void>((resolve, reject) => {
          clients.destroyAll();
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        }),
    ),
  };
}

class ValidationError extends Error {}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  putEvents: (body: unknown) => Promise<object>,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  const raw = await readBody(req);
  if (raw === undefined) return sendJson(res, 413, { __type: 'ValidationException', message: 'request too large' });
  if (req.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
    return sendJson(res, 400, { __type: 'UnknownOperationException', message: `unsupported: ${String(target)}` });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return sendJson(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
  }
  try {
    sendJson(res, 200, await putEvents(body));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    sendJson(res, 400, { __type: 'ValidationException', message: error.message });
  }
}

/** Resolves with the body, or undefined (after draining) when it exceeds the PutEvents size limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
