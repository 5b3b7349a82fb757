import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '#infra/constructs/node-function';
import { ENV } from '#shared/config/env-keys';
import { WORKER_BATCH_SIZE } from '#shared/config/resources';
import { devStageWith, renderValue, resourcesOfType, synthStage } from './helpers/stage-app.js';

// Optional functions off: this file covers the core; optional-features.test.ts covers the rest.
const config = devStageWith({
  features: { reconciler: false, reaper: false, callbackNotifier: false, hooks: false, slackNotifier: false },
});
// The one file that runs CDK's CloudFormation validation, as `cdk synth` does (it flags deprecated runtimes).
const { messages, validationFindings, serviceTemplate: template } = synthStage(config, { validate: true });
const functions = resourcesOfType(template, 'AWS::Lambda::Function');
const worker = functions.find(([id]) => id.startsWith('CloneWorker'))?.[1] ?? {};
const api = functions.find(([id]) => id.startsWith('CloneApi'))?.[1] ?? {};
const envOf = (fn: Record<string, unknown>) => (fn['Environment'] as { Variables: Record<string, unknown> }).Variables;

describe('Service stack', () => {
  it('deploys only the API, status, worker and console functions when no optional feature is on', () => {
    // Assess
    expect(functions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CloneApiHandlerFunction',
      'CloneWorkerFunction',
      'ConsoleHandlerFunction',
      'StatusApiHandlerFunction',
    ]);
  });

  it('runs every function on Node.js 22, arm64, with X-Ray, its own log group and Powertools settings', () => {
    // Assess
    for (const [, fn] of functions) {
      expect(fn).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
      expect(envOf(fn)).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
    // The same service names the handlers' loggers use.
    expect([envOf(api)['POWERTOOLS_SERVICE_NAME'], envOf(worker)['POWERTOOLS_SERVICE_NAME']]).toEqual([
      'instaclone-api',
      'instaclone-worker',
    ]);
  });

  it('keeps every log group for the stage retention', () => {
    // Act
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup');

    // Assess: four functions (API, status, worker, console) plus the API access log.
    expect(logGroups).toHaveLength(5);
    for (const [, group] of logGroups) expect(group['RetentionInDays']).toBe(config.logRetentionDays);
  });

  it('synthesizes both stacks without warnings or validation findings (none about deprecated runtimes)', () => {
    // Assess
    expect(messages).toEqual([]);
    expect(validationFindings).toEqual([]);
  });

  it('gives the worker its timeout, the private subnets, its security group and the vCenter settings', () => {
    // Assess
    expect(worker).toMatchObject({
      Timeout: config.worker.timeoutSeconds,
      MemorySize: config.worker.memorySizeMb,
      VpcConfig: { SubnetIds: config.network.privateSubnetIds, SecurityGroupIds: [expect.anything()] },
    });
    expect(renderValue((worker['VpcConfig'] as { SecurityGroupIds: unknown[] }).SecurityGroupIds)).toBe(
      'WorkerNetworkWorkerSecurityGroup.GroupId',
    );
    const env = envOf(worker);
    expect(Object.keys(env)).not.toContain(ENV.VCENTER_CA_FILE);
    expect(Object.keys(env)).not.toContain(ENV.VCENTER_PASSWORD);
    expect({ ...env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, renderValue(v)])) }).toMatchObject({
      [ENV.JOBS_TABLE_NAME]: 'import(JobTable)',
      [ENV.CLONE_QUEUE_URL]: 'import(CloneQueue)',
      [ENV.EVENT_BUS_NAME]: 'import(EventBus)',
      [ENV.VCENTER_SECRET_ARN]: 'import(VcenterSecret)',
      [ENV.VCENTER_URL]: config.vcenter.url,
      [ENV.VCENTER_INSECURE]: 'false',
      [ENV.VCENTER_MAX_CONCURRENCY]: String(config.vcenter.maxConcurrency),
    });
  });

  it('keeps the API function outside the VPC with only the table and queue settings', () => {
    // Assess
    expect(api['VpcConfig']).toBeUndefined();
    const env = Object.fromEntries(Object.entries(envOf(api)).map(([k, v]) => [k, renderValue(v)]));
    expect(env).toMatchObject({
      [ENV.JOBS_TABLE_NAME]: 'import(JobTable)',
      [ENV.CLONE_QUEUE_URL]: 'import(CloneQueue)',
    });
    expect(Object.keys(env).filter((key) => key.startsWith('VCENTER_'))).toEqual([]);
  });

  it('feeds the worker from the clone queue with batch item failures, small batches and the vCenter cap', () => {
    // Act
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');

    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.[1]).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: WORKER_BATCH_SIZE,
      ScalingConfig: { MaximumConcurrency: config.vcenter.maxConcurrency },
    });
    expect(renderValue(mappings[0]?.[1]['EventSourceArn'])).toBe('import(CloneQueueArn)');
    expect(renderValue(mappings[0]?.[1]['FunctionName'])).toBe('ref(CloneWorkerFunction)');
  });

  it('lets the worker security group reach only vCenter on 443 and the AWS endpoints', () => {
    // Act
    const [[, group] = []] = resourcesOfType(template, 'AWS::EC2::SecurityGroup').filter(([id]) =>
      id.startsWith('WorkerNetworkWorkerSecurityGroup'),
    );
    const extraEgress = resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, rule]) => renderValue(rule['GroupId']) === 'WorkerNetworkWorkerSecurityGroup.GroupId')
      .map(([, rule]) => ({
        ...rule,
        GroupId: undefined,
        DestinationSecurityGroupId: renderValue(rule['DestinationSecurityGroupId']),
      }));

    // Assess
    expect(group?.['SecurityGroupEgress']).toEqual([
      { CidrIp: config.vcenter.cidr, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'vCenter SDK' },
    ]);
    expect(extraEgress).toEqual([
      expect.objectContaining({
        DestinationSecurityGroupId: 'WorkerNetworkEndpointSecurityGroup.GroupId',
        FromPort: 443,
        ToPort: 443,
      }),
      expect.objectContaining({ DestinationPrefixListId: 'pl-6fa54006', FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('creates private-DNS interface endpoints open to the worker only, and a DynamoDB gateway endpoint', () => {
    // Act
    const endpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([, endpoint]) => endpoint);
    const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, rule]) => rule);

    // Assess
    const interfaces = endpoints.filter((endpoint) => endpoint['VpcEndpointType'] === 'Interface');
    expect(interfaces.map((endpoint) => endpoint['ServiceName']).sort()).toEqual(
      ['events', 'secretsmanager', 'sqs'].map((name) => `com.amazonaws.${config.env.region}.${name}`),
    );
    for (const endpoint of interfaces) {
      expect(endpoint).toMatchObject({ PrivateDnsEnabled: true, SubnetIds: config.network.privateSubnetIds });
    }
    expect(endpoints.filter((endpoint) => endpoint['VpcEndpointType'] === 'Gateway')).toEqual([
      expect.objectContaining({ RouteTableIds: config.network.privateSubnetRouteTableIds }),
    ]);
    expect(ingress.map((rule) => [renderValue(rule['SourceSecurityGroupId']), rule['FromPort']])).toEqual([
      ['WorkerNetworkWorkerSecurityGroup.GroupId', 443],
    ]);
  });

  it('requires IAM auth on every /v1/clones route, stats and status, and leaves health, the OpenAPI document and the console page public', () => {
    // Act
    const routes = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
        route['RouteKey'],
        route['AuthorizationType'],
      ]),
    );

    // Assess
    expect(routes).toEqual({
      'POST /v1/clones': 'AWS_IAM',
      'GET /v1/clones': 'AWS_IAM',
      'GET /v1/clones/{jobId}': 'AWS_IAM',
      'DELETE /v1/clones/{jobId}': 'AWS_IAM',
      'GET /v1/stats': 'AWS_IAM',
      'GET /v1/health': 'NONE',
      'GET /v1/status': 'AWS_IAM',
      'GET /v1/openapi.json': 'NONE',
      'GET /': 'NONE',
      'GET /console/{file}': 'NONE',
    });
  });

  it('serves the API from an auto-deployed default stage with access logs and throttling', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CloneApiAccessLogs'), 'Arn'] } },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('alarms to the alarm topic on worker, API and status errors and throttles, and the oldest clone request age', () => {
    // Act
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => ({
      metric: `${alarm['Namespace']}/${alarm['MetricName']}`,
      on: renderValue((alarm['Dimensions'] as { Value: unknown }[])[0]?.Value),
      threshold: alarm['Threshold'],
      comparison: alarm['ComparisonOperator'],
      actions: renderValue(alarm['AlarmActions']),
    }));

    // Assess
    const action = 'import(AlarmTopic)';
    const atLeastOne = { threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', actions: action };
    expect(alarms).toEqual([
      { metric: 'AWS/Lambda/Errors', on: 'ref(CloneWorkerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Throttles', on: 'ref(CloneWorkerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Errors', on: 'ref(CloneApiHandlerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Throttles', on: 'ref(CloneApiHandlerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Errors', on: 'ref(StatusApiHandlerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Throttles', on: 'ref(StatusApiHandlerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Errors', on: 'ref(ConsoleHandlerFunction)', ...atLeastOne },
      { metric: 'AWS/Lambda/Throttles', on: 'ref(ConsoleHandlerFunction)', ...atLeastOne },
      {
        metric: 'AWS/SQS/ApproximateAgeOfOldestMessage',
        on: 'import(CloneQueueQueueName)',
        threshold: config.alarms.oldestMessageAgeSeconds,
        comparison: 'GreaterThanThreshold',
        actions: action,
      },
    ]);
  });

  it('publishes a dashboard named after the stage', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'instaclone-dev' });
  });

  it('outputs the API URL and the worker security group for the deploy runbook', () => {
    // Act
    const outputs = template.findOutputs('*') as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'WorkerSecurityGroupId']);
    expect(renderValue(outputs['WorkerSecurityGroupId']?.Value)).toBe('WorkerNetworkWorkerSecurityGroup.GroupId');
  });
});
