import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryLockedError } from '#local/emulators/directory-lock';
import { startDynamoDbEmulator } from '#local/emulators/dynamodb-emulator';
import { startSqsEmulator } from '#local/emulators/sqs-emulator';
import { JOB_TABLE, RESOURCE_NAMES } from '#shared/config/resources';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SQS emulator', () => {
  it('creates the clone queue with a redrive policy to the DLQ and round-trips a message', async () => {
    // Prepare
    const sqs = await startSqsEmulator({ visibilityTimeoutSeconds: 7, maxReceiveCount: 2 });
    cleanups.push(sqs.close);
    const client = sqs.client();

    // Act
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl, MessageBody: '{"jobId":"j1"}' }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl, WaitTimeSeconds: 1 }));
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: sqs.queueUrl, AttributeNames: ['All'] }),
    );

    // Assess
    expect(sqs.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sqs.queueUrl).toContain(RESOURCE_NAMES.cloneQueue);
    expect(sqs.dlqArn).toContain(RESOURCE_NAMES.cloneDeadLetterQueue);
    expect(received.Messages?.[0]?.Body).toBe('{"jobId":"j1"}');
    expect(attributes.Attributes?.['VisibilityTimeout']).toBe('7');
    expect(JSON.parse(attributes.Attributes?.['RedrivePolicy'] ?? '{}')).toMatchObject({
      deadLetterTargetArn: sqs.dlqArn,
      maxReceiveCount: 2,
    });
  });

  it('frees its port on close so a restart on the same port succeeds', async () => {
    // Prepare
    const first = await startSqsEmulator();
    const port = Number(new URL(first.endpoint).port);
    await first.client().send(new GetQueueAttributesCommand({ QueueUrl: first.queueUrl, AttributeNames: ['All'] }));

    // Act
    await first.close();
    const second = await startSqsEmulator({ port });
    cleanups.push(second.close);

    // Assess
    expect(second.endpoint).toBe(first.endpoint);
  });
});

describe('DynamoDB emulator', () => {
  it('creates the jobs table with the status index', async () => {
    // Prepare
    const ddb = await startDynamoDbEmulator();
    cleanups.push(ddb.close);

    // Act
    const table = await ddb.client().send(new DescribeTableCommand({ TableName: ddb.tableName }));

    // Assess
    expect(table.Table?.TableStatus).toBe('ACTIVE');
    expect(table.Table?.KeySchema).toEqual([{ AttributeName: JOB_TABLE.partitionKey, KeyType: 'HASH' }]);
    expect(table.Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(JOB_TABLE.statusIndex.name);
  });

  it('keeps items across a restart on the same on-disk path', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'instaclone-ddb-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const first = await startDynamoDbEmulator({ path: dir });
    await DynamoDBDocumentClient.from(first.client()).send(
      new PutCommand({ TableName: first.tableName, Item: { pk: 'JOB#1', status: 'QUEUED' } }),
    );
    await first.close();

    // Act
    const second = await startDynamoDbEmulator({ path: dir });
    cleanups.push(second.close);
    const got = await DynamoDBDocumentClient.from(second.client()).send(
      new GetCommand({ TableName: second.tableName, Key: { pk: 'JOB#1' } }),
    );

    // Assess
    expect(got.Item).toEqual({ pk: 'JOB#1', status: 'QUEUED' });
  });

  it('refuses a second emulator on an on-disk path that is already open', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'instaclone-ddb-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const first = await startDynamoDbEmulator({ path: join(dir, 'db') });
    cleanups.push(first.close);

    // Act
    const second = startDynamoDbEmulator({ path: join(dir, 'db') });

    // Assess
    await expect(second).rejects.toBeInstanceOf(DirectoryLockedError);
  });

  it('takes over a lock left behind by a process that no longer exists', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'instaclone-ddb-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'db.lock'), '4194305');

    // Act
    const emulator = await startDynamoDbEmulator({ path: join(dir, 'db') });
    cleanups.push(emulator.close);

    // Assess
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
