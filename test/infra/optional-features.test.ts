import { describe, expect, it } from 'vitest';
import { VCENTER_CA_BUNDLE_NAME } from '#infra/constructs/vcenter-access';
import { ENV } from '#shared/config/env-keys';
import { EVENT_RULES } from '#shared/events/event-rules';
import { GITHUB_RUNNERS } from './helpers/github-stage.js';
import { devStageWith, rawDevStage, renderValue, resourcesOfType, synthStage } from './helpers/stage-app.js';

// The variant a stage without VPC endpoints would use, with a private CA, the optional functions and GitHub runners
// (whose API the NAT egress already reaches). The Slack notifier is covered by integrations.test.ts.
const raw = rawDevStage();
const config = devStageWith({
  network: { ...(raw['network'] as object), awsApiAccess: { mode: 'nat' } },
  vcenter: {
    ...(raw['vcenter'] as object),
    url: 'https://10.20.0.5:8443/sdk',
    caBundleFile: 'test/infra/fixtures/vcenter-ca.pem',
  },
  features: { reconciler: true, reaper: true, callbackNotifier: true, hooks: true },
  github: GITHUB_RUNNERS,
});
const { serviceTemplate: template } = synthStage(config);
const functionIds = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
const workerFunction = resourcesOfType(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('CloneWorker'));

describe('Service stack with optional features', () => {
  it('runs the reconciler and the reaper on their schedules', () => {
    // Act
    const schedules = resourcesOfType(template, 'AWS::Events::Rule')
      .filter(([, rule]) => rule['ScheduleExpression'] !== undefined)
      .map(([, rule]) => [rule['ScheduleExpression'], renderValue((rule['Targets'] as { Arn: unknown }[])[0]?.Arn)]);

    // Assess
    expect(schedules).toEqual([
      ['rate(5 minutes)', 'ReconcilerHandlerFunction.Arn'],
      ['rate(15 minutes)', 'ReaperHandlerFunction.Arn'],
    ]);
  });

  it('routes completions that want a callback on the service bus to the callback notifier with the shared pattern', () => {
    // Act
    const [[, rule] = []] = resourcesOfType(template, 'AWS::Events::Rule').filter(
      ([, candidate]) => candidate['EventPattern'] !== undefined,
    );

    // Assess
    expect(rule?.['EventPattern']).toEqual(EVENT_RULES.callbackWanted);
    expect(renderValue(rule?.['EventBusName'])).toBe('import(EventBus)');
    expect(rule?.['Targets']).toEqual([
      expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 } }),
    ]);
  });

  it('keeps the optional functions outside the VPC', () => {
    // Assess
    expect(functionIds).toHaveLength(8);
    const inVpc = resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn['VpcConfig'] !== undefined)
      .map(([id]) => id);
    expect(inVpc.sort()).toEqual([workerFunction?.[0], expect.stringMatching(/^StatusApiHandlerFunction/)]);
  });

  it('exposes the hook and chat routes without gateway auth, for the hooks function to verify', () => {
    // Act
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
      route['RouteKey'],
      route['AuthorizationType'],
    ]);

    // Assess
    expect(routes).toEqual(
      expect.arrayContaining([
        ['POST /v1/hooks/generic', 'NONE'],
        ['POST /v1/hooks/github', 'NONE'],
        ['POST /v1/chat/slack', 'NONE'],
      ]),
    );
    expect(routes.filter(([key]) => String(key).includes('/v1/clones')).every(([, auth]) => auth === 'AWS_IAM')).toBe(
      true,
    );
  });

  it('opens 443 to anywhere instead of creating endpoints when AWS APIs go through a NAT gateway (GitHub too)', () => {
    // Act
    const [[, group] = []] = resourcesOfType(template, 'AWS::EC2::SecurityGroup');

    // Assess
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    expect(group?.['SecurityGroupEgress']).toEqual([
      expect.objectContaining({ CidrIp: config.vcenter.cidr, FromPort: 8443, ToPort: 8443 }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('points the worker at the CA bundle copied into its package', () => {
    // Assess
    const env = workerFunction?.[1]['Environment'] as { Variables: Record<string, string> } | undefined;
    expect(env?.Variables[ENV.VCENTER_CA_FILE]).toBe(`/var/task/${VCENTER_CA_BUNDLE_NAME}`);
  });
});
