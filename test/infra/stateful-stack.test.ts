import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CLONE_QUEUE_MAX_RECEIVE_COUNT, JOB_TABLE, JOB_TABLE_INDEXES, RESOURCE_NAMES } from '#shared/config/resources';
import { EVENT_RULES } from '#shared/events/event-rules';
import { devStageWith, rawDevStage, resourcesOfType, synthStage } from './helpers/stage-app.js';

// A worker timeout other than the default proves the visibility timeout is derived, not a second literal.
const WORKER_TIMEOUT = 120;
const config = devStageWith({ worker: { timeoutSeconds: WORKER_TIMEOUT } });
const { statefulTemplate: template, serviceTemplate } = synthStage(config);
const retained = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

describe('Stateful stack', () => {
  it('keeps the job table on demand with the shared key schema, its three indexes and TTL', () => {
    // Act
    const table = template.findResources('AWS::DynamoDB::GlobalTable');

    // Assess
    expect(Object.keys(table)).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: `${RESOURCE_NAMES.jobsTable}-dev`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: JOB_TABLE.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-status',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'unsettled',
          KeySchema: [
            { AttributeName: 'unsettledpk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'by-pool',
          KeySchema: [
            { AttributeName: 'poolpk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: JOB_TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('adds the indexes one stack update at a time when a migration asks (instaclone:jobIndexes)', () => {
    // Act
    const { statefulTemplate } = synthStage(config, { context: { 'instaclone:jobIndexes': 'by-status,unsettled' } });
    const refused = () => synthStage(config, { context: { 'instaclone:jobIndexes': 'unsettled' } });
    // Assess
    const [table] = Object.values(statefulTemplate.findResources('AWS::DynamoDB::GlobalTable'));
    const { GlobalSecondaryIndexes: indexes = [] } = (table?.Properties ?? {}) as {
      GlobalSecondaryIndexes?: { IndexName: string }[];
    };
    expect(indexes.map((index) => index.IndexName)).toEqual(['by-status', 'unsettled']);
    expect(refused).toThrow('instaclone:jobIndexes: by-status is required');
    expect(JOB_TABLE_INDEXES.map((index) => index.name)).toEqual(['by-status', 'unsettled', 'by-pool']);
  });

  it('protects the job table with point-in-time recovery, deletion protection and retention', () => {
    // Assess
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      ...retained,
      Properties: Match.objectLike({
        Replicas: [
          Match.objectLike({
            Region: config.env.region,
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('derives the clone queue visibility timeout as six times the stage worker timeout', () => {
    // Prepare
    const [worker] = resourcesOfType(serviceTemplate, 'AWS::Lambda::Function')
      .map(([, props]) => props)
      .filter((props) => props['VpcConfig'] !== undefined);

    // Act
    const [[, queue] = []] = resourcesOfType(template, 'AWS::SQS::Queue').filter(
      ([, props]) => props['QueueName'] === `${RESOURCE_NAMES.cloneQueue}-dev`,
    );

    // Assess
    expect(worker?.['Timeout']).toBe(WORKER_TIMEOUT);
    expect(queue?.['VisibilityTimeout']).toBe(WORKER_TIMEOUT * 6);
  });

  it('redrives clone requests to the DLQ after the shared maximum receive count', () => {
    // Assess
    template.hasResource('AWS::SQS::Queue', {
      ...retained,
      Properties: Match.objectLike({
        QueueName: `${RESOURCE_NAMES.cloneQueue}-dev`,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CloneQueueDeadLetterQueue'), 'Arn'] },
          maxReceiveCount: CLONE_QUEUE_MAX_RECEIVE_COUNT,
        },
      }),
    });
    template.hasResource('AWS::SQS::Queue', {
      ...retained,
      Properties: {
        QueueName: `${RESOURCE_NAMES.cloneDeadLetterQueue}-dev`,
        MessageRetentionPeriod: 1_209_600,
        SqsManagedSseEnabled: true,
      },
    });
  });

  it('denies non-TLS access to every queue (clone queue, its DLQ, the notification DLQ)', () => {
    // Act
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');

    // Assess
    expect(policies).toHaveLength(3);
    for (const [, policy] of policies) {
      expect(policy['PolicyDocument']).toMatchObject({
        Statement: [{ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      });
    }
  });

  it('alarms to the alarm topic as soon as one message is in the DLQ', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CloneQueueDeadLetterQueue'), 'QueueName'] },
        },
      ],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });

  it('keeps failed notifier events 14 days in their own DLQ and alarms on the first one', () => {
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'instaclone-notification-dlq-dev',
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotificationDeadLetterQueue'), 'QueueName'] },
        },
      ],
      Threshold: 0,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
  });

  it('creates the alarm topic with the stage e-mail subscribed and TLS enforced', () => {
    // Assess
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: (rawDevStage()['alarms'] as { email: string }).email,
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
      },
    });
  });

  it('archives every clone event for 30 days using the shared rule pattern', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::EventBus', { Name: `${RESOURCE_NAMES.eventBus}-dev` });
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: EVENT_RULES.allCloneEvents,
      RetentionDays: 30,
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventBus'), 'Arn'] },
    });
  });

  it('creates the retained vCenter secret without putting a credential in the template', () => {
    // Assess
    template.hasResource('AWS::SecretsManager::Secret', {
      ...retained,
      Properties: Match.objectLike({
        Name: config.vcenter.secretName,
        GenerateSecretString: { SecretStringTemplate: '{"username":"set-me"}', GenerateStringKey: 'password' },
        SecretString: Match.absent(),
      }),
    });
  });
});
