import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CLONE_QUEUE_MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_FACTOR } from '#shared/config/resources';
import { alarmedDeadLetterQueue } from './dead-letter-queue.js';

export { VISIBILITY_TIMEOUT_FACTOR };

export type CloneQueueProps = {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The worker's timeout; the visibility timeout is derived from it, never configured separately. */
  readonly workerTimeout: Duration;
  /** Receives the DLQ depth alarm. */
  readonly alarmTopic: ITopic;
};

/**
 * The clone request queue and its dead-letter queue, with an alarm as soon as one message lands in the DLQ
 * (a job the worker gave up on after `CLONE_QUEUE_MAX_RECEIVE_COUNT` deliveries).
 * The visibility timeout is {@link VISIBILITY_TIMEOUT_FACTOR} × the worker timeout, so a record is not redelivered
 * while a slow invocation still holds it and Lambda accepts the event source mapping.
 * Both queues use SSE-SQS and refuse non-TLS requests.
 */
export class CloneQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CloneQueueProps) {
    super(scope, id);
    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = alarmedDeadLetterQueue(this, {
      queueId: 'DeadLetterQueue',
      alarmId: 'DeadLetterAlarm',
      queueName: props.deadLetterQueueName,
      alarmDescription: 'A clone request exhausted its deliveries and sits in the DLQ. Inspect, fix, then redrive.',
      alarmTopic: props.alarmTopic,
    }));
    const visibilityTimeoutSeconds = props.workerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds),
      // Every allowed delivery must fit before SQS drops the message; keep a full day of slack on top.
      retentionPeriod: Duration.seconds(visibilityTimeoutSeconds * CLONE_QUEUE_MAX_RECEIVE_COUNT).plus(
        Duration.days(1),
      ),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: CLONE_QUEUE_MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
