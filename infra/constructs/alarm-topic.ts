import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export type AlarmTopicProps = {
  /** Use this existing topic instead of creating one. @default a new topic */
  readonly topicArn?: string;
  /** Subscribed to the new topic (the recipient confirms by mail). @default no subscription */
  readonly email?: string;
};

/**
 * Where every alarm of the service goes. Lives in the stateful stack so a confirmed e-mail subscription survives
 * redeploys of the service stack.
 */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.topicArn) {
      this.topic = Topic.fromTopicArn(this, 'Imported', props.topicArn);
      return;
    }
    const topic = new Topic(this, 'Topic', { displayName: 'instaclone alarms', enforceSSL: true });
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}
