import { describe, expect, it } from 'vitest';
import { toSqsRecord } from '#local/lambda/sqs-record';

describe('toSqsRecord', () => {
  it('shapes a received message like the Lambda SQS event source does', () => {
    // Prepare
    const message = {
      MessageId: 'id-1',
      ReceiptHandle: 'rh-1',
      Body: 'hello',
      MD5OfBody: '5d41402abc4b2a76b9719d911017c592',
      Attributes: {
        ApproximateReceiveCount: '2',
        SentTimestamp: '1700000000000',
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: '1700000000100',
        MessageGroupId: 'g1',
      },
      MessageAttributes: {
        jobId: { DataType: 'String', StringValue: 'j1' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
      },
    };

    // Act
    const record = toSqsRecord(message, { queueArn: 'arn:aws:sqs:us-east-1:000000000000:q', region: 'us-east-1' });

    // Assess
    expect(record).toEqual({
      messageId: 'id-1',
      receiptHandle: 'rh-1',
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      attributes: {
        ApproximateReceiveCount: '2',
        SentTimestamp: '1700000000000',
        SenderId: 'AIDA',
        ApproximateFirstReceiveTimestamp: '1700000000100',
        MessageGroupId: 'g1',
      },
      messageAttributes: {
        jobId: { stringValue: 'j1', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQI=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    });
  });
});
