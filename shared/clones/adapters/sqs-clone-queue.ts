import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CloneMessageInput } from '../model/clone-message.js';
import type { CloneQueue } from '../ports/clone-queue.js';

/** CloneQueue on SQS. The job id also travels as a message attribute, for DLQ triage without parsing bodies. */
export class SqsCloneQueue implements CloneQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: CloneMessageInput): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { jobId: { DataType: 'String', StringValue: message.jobId } },
      }),
    );
  }
}
