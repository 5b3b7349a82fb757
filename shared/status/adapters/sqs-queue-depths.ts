import { GetQueueAttributesCommand, type QueueAttributeName, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueDepth } from '../model/status-report.js';
import type { QueueDepths } from '../ports/status-probes.js';

const DEPTH_ATTRIBUTES: QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

const count = (value: string | undefined): number => {
  const n = Number(value ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/** The status's QueueDepths: one GetQueueAttributes per queue (needs `sqs:GetQueueAttributes` on both). */
export class SqsQueueDepths implements QueueDepths {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: { queue: string; deadLetterQueue: string },
  ) {}

  private async depth(queueUrl: string): Promise<QueueDepth> {
    const { Attributes = {} } = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: DEPTH_ATTRIBUTES }),
    );
    return {
      visible: count(Attributes.ApproximateNumberOfMessages),
      inFlight: count(Attributes.ApproximateNumberOfMessagesNotVisible),
      delayed: count(Attributes.ApproximateNumberOfMessagesDelayed),
    };
  }

  async depths() {
    const [queue, deadLetterQueue] = await Promise.all([
      this.depth(this.urls.queue),
      this.depth(this.urls.deadLetterQueue),
    ]);
    return { queue, deadLetterQueue };
  }
}
