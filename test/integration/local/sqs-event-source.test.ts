import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it, type TestContext } from 'vitest';
import { type SqsEmulator, startSqsEmulator } from '#local/emulators/sqs-emulator';
import { type SqsEventSourceOptions, startSqsEventSource } from '#local/lambda/sqs-event-source';
import { silentLogger } from '#local/local-logger';

type OnFinished = TestContext['onTestFinished'];

async function setup(
  onTestFinished: OnFinished,
  queue: { visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
) {
  const sqs = await startSqsEmulator({ visibilityTimeoutSeconds: 1, maxReceiveCount: 3, ...queue });
  onTestFinished(() => sqs.close());
  return { sqs, client: sqs.client(), onTestFinished };
}

function startSource(
  onTestFinished: OnFinished,
  sqs: SqsEmulator,
  client: SQSClient,
  handler: SqsEventSourceOptions['handler'],
  overrides: Partial<SqsEventSourceOptions> = {},
) {
  const source = startSqsEventSource({
    client,
    queueUrl: sqs.queueUrl,
    queueArn: sqs.queueArn,
    region: sqs.region,
    handler,
    batchSize: 10,
    maxConcurrency: 2,
    functionTimeoutMs: 5_000,
    waitTimeSeconds: 1,
    logger: silentLogger,
    ...overrides,
  });
  onTestFinished(() => source.stop());
  return source;
}

async function sendBodies(client: SQSClient, queueUrl: string, bodies: string[]): Promise<void> {
  await client.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );
}

// Each test owns its emulator, so they run side by side; most of their time is visibility timeouts.
describe.concurrent('SQS event source against fauxqs', () => {
  it('delivers Lambda-shaped records with system and message attributes', async ({ onTestFinished }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished);
    const events: SQSEvent[] = [];
    await client.send(
      new SendMessageCommand({
        QueueUrl: sqs.queueUrl,
        MessageBody: '{"jobId":"j1"}',
        MessageAttributes: { jobId: { DataType: 'String', StringValue: 'j1' } },
      }),
    );

    // Act
    const source = startSource(onTestFinished, sqs, client, async (event) => {
      events.push(event);
    });
    await source.idle();

    // Assess
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      body: '{"jobId":"j1"}',
      eventSource: 'aws:sqs',
      eventSourceARN: sqs.queueArn,
      awsRegion: sqs.region,
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      messageAttributes: {
        jobId: { stringValue: 'j1', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
      },
    });
  });

  it('deletes only the successes of a partially failed batch and redelivers the failed record', async ({
    onTestFinished,
  }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished);
    const deliveries: string[] = [];
    await sendBodies(client, sqs.queueUrl, ['ok-1', 'fail-once', 'ok-2']);
    let failedAlready = false;
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const failures = [];
      for (const record of event.Records) {
        deliveries.push(record.body);
        if (record.body === 'fail-once' && !failedAlready) {
          failedAlready = true;
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    };

    // Act
    const source = startSource(onTestFinished, sqs, client, handler, { batchSize: 3 });
    await until(() => deliveries.filter((body) => body === 'fail-once').length === 2, 5_000);
    await source.idle();

    // Assess
    expect(deliveries.filter((body) => body === 'ok-1')).toHaveLength(1);
    expect(deliveries.filter((body) => body === 'ok-2')).toHaveLength(1);
    const left = await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl, WaitTimeSeconds: 0 }));
    expect(left.Messages ?? []).toHaveLength(0);
  });

  it('moves a message that always fails to the DLQ after maxReceiveCount deliveries', async ({ onTestFinished }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished, { maxReceiveCount: 2 });
    let attempts = 0;
    await sendBodies(client, sqs.queueUrl, ['poison']);

    // Act
    const source = startSource(onTestFinished, sqs, client, async () => {
      attempts += 1;
      throw new Error('always fails');
    });
    const dlq = await until(async () => {
      const got = await client.send(
        new ReceiveMessageCommand({ QueueUrl: sqs.dlqUrl, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
      );
      return got.Messages?.[0];
    }, 8_000);
    await source.stop();

    // Assess
    expect(dlq.Body).toBe('poison');
    expect(attempts).toBe(2);
  });

  it('never runs more batches at once than maxConcurrency', async ({ onTestFinished }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished, { visibilityTimeoutSeconds: 30 });
    await sendBodies(client, sqs.queueUrl, ['1', '2', '3', '4', '5', '6', '7', '8']);
    let running = 0;
    let peak = 0;
    let handled = 0;

    // Act
    const source = startSource(
      onTestFinished,
      sqs,
      client,
      async (event) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
        handled += event.Records.length;
      },
      { batchSize: 1, maxConcurrency: 3 },
    );
    await until(() => handled === 8, 5_000);
    await source.stop();

    // Assess
    expect(peak).toBe(3);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch', async ({ onTestFinished }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished);
    const seen: string[] = [];
    await sendBodies(client, sqs.queueUrl, ['a', 'b']);

    // Act
    const source = startSource(
      onTestFinished,
      sqs,
      client,
      async (event) => {
        for (const record of event.Records) seen.push(record.body);
        return seen.length <= 2 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : undefined;
      },
      { batchSize: 2 },
    );
    await until(() => seen.length >= 4, 5_000);
    await source.stop();

    // Assess
    expect([...seen].sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('counts an invocation that outlives functionTimeoutMs as failed and deletes nothing', async ({
    onTestFinished,
  }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished);
    await sendBodies(client, sqs.queueUrl, ['slow']);
    const receiveCounts: string[] = [];

    // Act
    const source = startSource(
      onTestFinished,
      sqs,
      client,
      async (event) => {
        receiveCounts.push(event.Records[0]?.attributes.ApproximateReceiveCount ?? '');
        if (receiveCounts.length === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      },
      { functionTimeoutMs: 100 },
    );
    await until(() => receiveCounts.length === 2, 5_000);
    await source.idle();

    // Assess
    expect(receiveCounts).toEqual(['1', '2']);
  });

  it('stops promptly while parked in a long poll', async ({ onTestFinished }) => {
    // Prepare
    const { sqs, client } = await setup(onTestFinished);
    const source = startSource(onTestFinished, sqs, client, async () => {}, { waitTimeSeconds: 20 });
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const started = Date.now();
    await source.stop();

    // Assess
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes. */
async function until<T>(probe: () => T | Promise<T>, timeoutMs: number): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
