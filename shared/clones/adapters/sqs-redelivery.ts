import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Hands a received message back to the clone queue at the pace its job asks for. `redeliverIn` shortens its
 * visibility timeout: the queue's own is six times the worker's (AWS advice), far too long to wait for a clone task
 * that merely outlived one invocation, or for a retry due in seconds. Best effort: if it fails the message still
 * comes back when the original timeout ends. `renew` sends a fresh copy instead (a new receive count), for a
 * message one receive short of the dead-letter queue whose job is still on its way.
 */
export class SqsRedelivery {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async redeliverIn(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  async renew(body: string, delaySeconds: number): Promise<void> {
    const jobId = (JSON.parse(body) as { jobId?: unknown }).jobId;
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        DelaySeconds: delaySeconds,
        ...(typeof jobId === 'string' && { MessageAttributes: { jobId: { DataType: 'String', StringValue: jobId } } }),
      }),
    );
  }
}
