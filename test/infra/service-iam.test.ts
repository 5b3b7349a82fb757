import { describe, expect, it } from 'vitest';
import { GITHUB_EGRESS, GITHUB_RUNNERS } from './helpers/github-stage.js';
import { devStageWith, renderValue, resourcesOfType, synthStage } from './helpers/stage-app.js';

// Every optional function and GitHub runners on, so every role and grant the service can create is asserted.
const config = devStageWith({
  features: { reconciler: true, reaper: true, callbackNotifier: true, hooks: true, slackNotifier: true },
  github: { ...GITHUB_RUNNERS, egress: GITHUB_EGRESS },
});
const { serviceTemplate: template, statefulTemplate } = synthStage(config);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type RenderedStatement = { actions: string[]; resources: string[] };

/** Each role's inline statements as plain `{ actions, resources }`, keyed by the role's logical id without hash. */
function statementsByRole(): Record<string, RenderedStatement[]> {
  const byRole: Record<string, RenderedStatement[]> = {};
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    const roles = policy['Roles'] as unknown[];
    expect(roles).toHaveLength(1);
    const role = renderValue(roles[0]).replace(/^ref\((.*)\)$/, '$1');
    const statements = (policy['PolicyDocument'] as { Statement: Statement[] }).Statement;
    byRole[role] = statements.map((statement) => {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition).toBeUndefined();
      return {
        actions: [statement.Action].flat(),
        resources: [statement.Resource].flat().map(renderValue),
      };
    });
  }
  return byRole;
}

const logs = (role: string) => ({
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  resources: [`${role}Logs.Arn`],
});
const xray = { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] };
/** Job table actions, on the table and on the indexes the role queries (none unless it queries). */
const table = (actions: string[], indexes: string[] = []) => ({
  actions: actions.map((action) => `dynamodb:${action}`),
  resources: ['import(JobTableArn)', ...indexes.map((index) => `import(JobTableArn)/index/${index}`)],
});
const sendToQueue = {
  actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  resources: ['import(CloneQueueArn)'],
};
/** Lambda's on-failure destination of the notifiers. */
const toNotificationDlq = {
  actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
  resources: ['import(NotificationDeadLetterQueueArn)'],
};
const readSecret = (secret: string) => ({
  actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  resources: [`import(${secret})`],
});
const eniActions = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

describe('Service IAM', () => {
  it('gives every role exactly the statements its function needs', () => {
    // Act
    const statements = statementsByRole();

    // Assess
    expect(statements).toEqual({
      CloneApiHandlerRole: [
        logs('CloneApiHandler'),
        xray,
        table(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], ['by-status']),
        sendToQueue,
      ],
      CloneWorkerRole: [
        logs('CloneWorker'),
        { actions: eniActions, resources: ['*'] },
        xray,
        table(['GetItem', 'UpdateItem']),
        { actions: ['events:PutEvents'], resources: ['import(EventBusArn)'] },
        readSecret('VcenterSecret'),
        {
          actions: [
            'sqs:ReceiveMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueUrl',
            'sqs:DeleteMessage',
            'sqs:GetQueueAttributes',
          ],
          resources: ['import(CloneQueueArn)'],
        },
        readSecret('IntegrationSecretsGithubAppPrivateKey'),
      ],
      StatusApiHandlerRole: [
        logs('StatusApiHandler'),
        { actions: eniActions, resources: ['*'] },
        xray,
        table(['Query'], ['by-status']),
        { actions: ['sqs:GetQueueAttributes'], resources: ['import(CloneQueueArn)'] },
        { actions: ['sqs:GetQueueAttributes'], resources: ['import(CloneQueueDeadLetterQueueArn)'] },
        readSecret('VcenterSecret'),
      ],
      ReconcilerHandlerRole: [
        logs('ReconcilerHandler'),
        xray,
        table(['Query', 'GetItem', 'UpdateItem'], ['by-status', 'unsettled']),
        sendToQueue,
      ],
      ReaperHandlerRole: [
        logs('ReaperHandler'),
        xray,
        table(['Query', 'GetItem', 'UpdateItem'], ['by-status']),
        sendToQueue,
        readSecret('IntegrationSecretsGithubAppPrivateKey'),
      ],
      CallbackNotifierHandlerRole: [
        logs('CallbackNotifierHandler'),
        xray,
        readSecret('IntegrationSecretsCallbackSigning'),
        table(['UpdateItem']),
        toNotificationDlq,
      ],
      HooksHandlerRole: [
        logs('HooksHandler'),
        xray,
        table(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
        sendToQueue,
        readSecret('IntegrationSecretsGenericHook'),
        readSecret('IntegrationSecretsGithubWebhook'),
        readSecret('IntegrationSecretsSlackSigning'),
      ],
      SlackNotifierHandlerRole: [logs('SlackNotifierHandler'), xray, toNotificationDlq],
      // The console serves files it was bundled with: nothing but its logs and traces.
      ConsoleHandlerRole: [logs('ConsoleHandler'), xray],
    });
  });

  it('uses a wildcard resource only for X-Ray and VPC network interfaces, which support no narrower scope', () => {
    // Act
    const wildcardActions = Object.values(statementsByRole())
      .flat()
      .filter((statement) => statement.resources.includes('*'))
      .flatMap((statement) => statement.actions);

    // Assess
    expect(new Set(wildcardActions)).toEqual(new Set([...xray.actions, ...eniActions]));
  });

  it('lets each secret be read only by the functions that use it (the vCenter secret by the worker and the status)', () => {
    // Prepare
    const secretIds = Object.keys(statefulTemplate.findResources('AWS::SecretsManager::Secret'));

    // Act
    const readersBySecret: Record<string, string[]> = {};
    for (const [role, statements] of Object.entries(statementsByRole())) {
      for (const statement of statements.filter((s) => s.actions.some((a) => a.startsWith('secretsmanager:')))) {
        for (const secret of statement.resources) readersBySecret[secret] = [...(readersBySecret[secret] ?? []), role];
      }
    }

    // Assess
    expect(secretIds).toHaveLength(6);
    expect(readersBySecret).toEqual({
      'import(VcenterSecret)': ['CloneWorkerRole', 'StatusApiHandlerRole'],
      'import(IntegrationSecretsGithubAppPrivateKey)': ['CloneWorkerRole', 'ReaperHandlerRole'],
      'import(IntegrationSecretsCallbackSigning)': ['CallbackNotifierHandlerRole'],
      'import(IntegrationSecretsGenericHook)': ['HooksHandlerRole'],
      'import(IntegrationSecretsGithubWebhook)': ['HooksHandlerRole'],
      'import(IntegrationSecretsSlackSigning)': ['HooksHandlerRole'],
    });
  });

  it('lets Lambda alone assume each role, with no managed policies attached', () => {
    // Act
    const roles = resourcesOfType(template, 'AWS::IAM::Role').map(([, role]) => role);

    // Assess
    expect(roles).toHaveLength(9);
    for (const role of roles) {
      expect(role['ManagedPolicyArns']).toBeUndefined();
      expect(role['AssumeRolePolicyDocument']).toEqual({
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      });
    }
  });

  it('lets only API Gateway and the event rules invoke the functions, each scoped to its source', () => {
    // Act
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, permission]) => ({
      fn: renderValue(permission['FunctionName']),
      principal: permission['Principal'],
      source: renderValue(permission['SourceArn']),
    }));

    // Assess
    expect(permissions.every((permission) => permission.source !== 'undefined')).toBe(true);
    expect(new Set(permissions.map((permission) => `${permission.principal} -> ${permission.fn}`))).toEqual(
      new Set([
        'apigateway.amazonaws.com -> CloneApiHandlerFunction.Arn',
        'apigateway.amazonaws.com -> ConsoleHandlerFunction.Arn',
        'apigateway.amazonaws.com -> StatusApiHandlerFunction.Arn',
        'events.amazonaws.com -> ReconcilerHandlerFunction.Arn',
        'events.amazonaws.com -> ReaperHandlerFunction.Arn',
        'events.amazonaws.com -> CallbackNotifierHandlerFunction.Arn',
        'apigateway.amazonaws.com -> HooksHandlerFunction.Arn',
        'events.amazonaws.com -> SlackNotifierHandlerFunction.Arn',
      ]),
    );
  });
});
