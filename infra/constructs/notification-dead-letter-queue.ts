import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmedDeadLetterQueue } from './dead-letter-queue.js';

/** Lambda's own retries of an event whose notifier invocation failed, before it goes to the DLQ. */
export const NOTIFIER_ASYNC_RETRIES = 2;

export type NotificationDeadLetterQueueProps = {
  readonly queueName: string;
  /** Receives the depth alarm. */
  readonly alarmTopic: ITopic;
};

/**
 * Where the notifiers' failed events go (Lambda on-failure destination): a callback or Slack reply whose function
 * failed after its retries is kept here for 14 days with the original event (`requestPayload`), instead of being
 * dropped, and one message raises an alarm. Redrive by putting the payload back on the bus (`aws events put-events`).
 * SSE-SQS, TLS only, retained.
 */
export class NotificationDeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: NotificationDeadLetterQueueProps) {
    super(scope, id);
    ({ queue: this.queue, alarm: this.alarm } = alarmedDeadLetterQueue(this, {
      queueId: 'Queue',
      alarmId: 'DepthAlarm',
      queueName: props.queueName,
      alarmDescription:
        'A callback or Slack notification failed after its retries and sits in the notification DLQ. Inspect it, ' +
        'then put its requestPayload back on the bus.',
      alarmTopic: props.alarmTopic,
    }));
  }
}

/** Sends `fn`'s failed async invocations (after {@link NOTIFIER_ASYNC_RETRIES} retries) to `queue`. */
export const keepFailedEvents = (fn: IFunction, queue: IQueue): void => {
  fn.configureAsyncInvoke({ onFailure: new SqsDestination(queue), retryAttempts: NOTIFIER_ASYNC_RETRIES });
};
