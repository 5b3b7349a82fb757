import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Shortens a received message's visibility timeout so SQS delivers it again soon. The queue's own timeout is
 * six times the worker's (AWS advice), far too long to wait for a clone task that merely outlived one invocation.
 * Best effort: if this fails the message still comes back when the original timeout ends.
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
}
