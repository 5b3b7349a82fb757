import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { consoleLogger, type LocalLogger } from '../local-logger.js';
import { judgeBatchResponse } from './batch-response.js';
import { makeLambdaContext } from './lambda-context.js';
import { toSqsRecord } from './sqs-record.js';

export type SqsEventSourceOptions = {
  /** Must carry an explicit `endpoint` when pointed at fauxqs (its queue URLs do not resolve). */
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: matches aws-lambda's SQSHandler, so real handlers type-check as they are.
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
  /** Records per invocation (1 to 10, as ReceiveMessage allows). */
  batchSize: number;
  /** Batches in flight at once: the ESM's MaximumConcurrency, which protects vCenter. */
  maxConcurrency: number;
  /** Per-invocation deadline; an invocation that outlives it counts as failed (nothing deleted). */
  functionTimeoutMs: number;
  /** Long-poll wait per ReceiveMessage, 0 to 20; default 20 like the ESM. */
  waitTimeSeconds?: number;
  /** Function name in the Lambda context. */
  functionName?: string;
  logger?: LocalLogger;
};

export type SqsEventSource = {
  /** Stops polling (aborting a parked long poll) and resolves once in-flight invocations have settled. */
  stop(): Promise<void>;
  /**
   * Resolves when a poll started after this call came back empty with nothing in flight (for tests).
   * Messages hidden by a visibility timeout (waiting for a retry) do not count; after `stop()` it
   * resolves once stopping has finished.
   */
  idle(): Promise<void>;
};

const POLL_ERROR_BACKOFF_MS = 1_000;

/**
 * Runs a Lambda SQS event source mapping in-process: long-polls the queue, invokes `handler` with
 * Lambda-shaped batches, and deletes exactly the records the handler did not report in
 * `batchItemFailures` (see `judgeBatchResponse`). A throw or a timeout deletes nothing: the messages
 * reappear after the queue's visibility timeout and the queue's redrive policy moves them to the DLQ
 * after maxReceiveCount, just as on AWS. Never more than `maxConcurrency` batches are in flight; a timed
 * out invocation keeps its slot until it really settles, so the cap holds even for runaway handlers.
 *
 * Throws RangeError synchronously for a batchSize outside 1..10 or a maxConcurrency below 1.
 *
 * Deviations: one poller (AWS scales pollers); no backoff after function errors; a message taken by
 * a long poll aborted in `stop()` stays invisible until its visibility timeout, as when a poller dies.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const logger = options.logger ?? consoleLogger;
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 10) {
    throw new RangeError(`batchSize must be an integer from 1 to 10, got ${options.batchSize}`);
  }
  if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
    throw new RangeError(`maxConcurrency must be a positive integer, got ${options.maxConcurrency}`);
  }
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const functionName = options.functionName ?? 'sqs-worker';
  const abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const slotWaiters: Array<() => void> = [];
  const idleWaiters: Array<{ afterPoll: number; resolve: () => void }> = [];
  let pollsStarted = 0;

  const settleIdleWaiters = (pollNumber: number): void => {
    if (inFlight.size > 0) return;
    for (const waiter of [...idleWaiters]) {
      if (pollNumber > waiter.afterPoll) {
        idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const invoke = async (records: SQSRecord[]): Promise<void> => {
    const context = makeLambdaContext({ functionName, timeoutMs: options.functionTimeoutMs });
    const ids = records.map((record) => record.messageId);
    const outcome = await invokeWithDeadline(
      () => options.handler({ Records: records }, context),
      options.functionTimeoutMs,
    );
    if (outcome.kind !== 'returned') {
      logger.error('sqs batch failed; records return after the visibility timeout', { ids, ...outcome });
      return;
    }
    const verdict = judgeBatchResponse(records, outcome.response);
    if (verdict.kind === 'whole-batch-failed') {
      logger.error('sqs batch response invalid; whole batch failed', { ids, reason: verdict.reason });
      return;
    }
    if (verdict.failed > 0) logger.warn('sqs batch partially failed', { ids, failed: verdict.failed });
    await deleteRecords(options.client, options.queueUrl, verdict.records, logger);
  };

  const dispatch = (messages: Message[]): void => {
    const records = messages.map((message) => toSqsRecord(message, options));
    const running: Promise<void> = invoke(records)
      .catch((error: unknown) => logger.error('sqs event source failed to finish a batch', { error }))
      .finally(() => {
        inFlight.delete(running);
        slotWaiters.shift()?.();
      });
    inFlight.add(running);
  };

  const poll = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      if (inFlight.size >= options.maxConcurrency) {
        await new Promise<void>((resolve) => slotWaiters.push(resolve));
        continue;
      }
      const pollNumber = ++pollsStarted;
      try {
        const received = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        const messages = received.Messages ?? [];
        if (messages.length > 0) dispatch(messages);
        else settleIdleWaiters(pollNumber);
      } catch (error) {
        if (abort.signal.aborted) break;
        logger.error('sqs receive failed; retrying', { error });
        await sleep(POLL_ERROR_BACKOFF_MS, abort.signal);
      }
    }
  };

  const polling = poll();
  let stopped: Promise<void> | undefined;
  return {
    stop: () => {
      stopped ??= (async () => {
        abort.abort();
        for (const wake of slotWaiters.splice(0)) wake();
        await polling;
        await Promise.all(inFlight);
        for (const waiter of idleWaiters.splice(0)) waiter.resolve();
      })();
      return stopped;
    },
    idle: () =>
      new Promise<void>((resolve) => {
        // A stopped source polls no more, so waiting for "the next empty poll" would hang forever.
        if (abort.signal.aborted) resolve(stopped ?? Promise.resolve());
        else idleWaiters.push({ afterPoll: pollsStarted, resolve });
      }),
  };
}

type InvokeOutcome =
  | { kind: 'returned'; response: unknown }
  | { kind: 'threw'; error: unknown }
  | { kind: 'timed-out'; timeoutMs: number };

/** Resolves at the deadline if the handler has not settled; the handler's promise is still awaited by the caller's slot. */
async function invokeWithDeadline(run: () => Promise<unknown>, timeoutMs: number): Promise<InvokeOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const settled = (async (): Promise<InvokeOutcome> => {
    try {
      return { kind: 'returned', response: await run() };
    } catch (error) {
      return { kind: 'threw', error };
    }
  })();
  const deadline = new Promise<InvokeOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out', timeoutMs }), timeoutMs);
  });
  const first = await Promise.race([settled, deadline]);
  clearTimeout(timer);
  // Hold the concurrency slot until a timed-out handler really finishes: the cap protects vCenter.
  await settled;
  return first;
}

async function deleteRecords(
  client: SQSClient,
  queueUrl: string,
  records: readonly SQSRecord[],
  logger: LocalLogger,
): Promise<void> {
  for (let start = 0; start < records.length; start += 10) {
    const chunk = records.slice(start, start + 10);
    const result = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) logger.error('sqs delete failed', { failed: result.Failed });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
