import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '#infra/build-app';
import { WARM_POOLS_CONTEXT } from '#infra/stacks/service-stack';
import { allFeatures, synthWithFeatures } from '#test/infra/helpers/feature-stages';
import { devStageWith, FIXTURE_FUNCTIONS_DIR } from '#test/infra/helpers/stage-app';

type Statement = { Action: string | string[]; Resource: unknown };
type CfnResource = { Type: string; Properties: { PolicyDocument: { Statement: Statement[] } } };
const wildcardActions = (template: { toJSON(): Record<string, unknown> }): string[] =>
  Object.values((template.toJSON()['Resources'] ?? {}) as Record<string, CfnResource>)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s) => [s.Resource].flat().includes('*'))
    .flatMap((s) => [s.Action].flat());

describe('cdk-nag AwsSolutions checks', () => {
  it('synthesizes every feature with no unacknowledged finding, and grants * only where AWS allows nothing narrower', () => {
    // Act: synthesis runs the rule pack and would throw on any finding.
    const stage = synthWithFeatures(true);
    // Assess: the one wildcard acknowledgement (AwsSolutions-IAM5[Resource::*]) covers exactly these actions.
    const actions = new Set([...wildcardActions(stage.statefulTemplate), ...wildcardActions(stage.serviceTemplate)]);
    expect(
      [...actions].every((a) =>
        /^xray:PutTrace|^xray:PutTelemetry|^ec2:.*(NetworkInterface|Subnets|PrivateIp)/.test(a),
      ),
    ).toBe(true);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    // Prepare: a queue with neither a DLQ nor a reason.
    const { warmPools, ...features } = allFeatures(false);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], [WARM_POOLS_CONTEXT]: warmPools } });
    const { stateful } = buildApp(app, devStageWith({ features }), { functionsDir: FIXTURE_FUNCTIONS_DIR });
    new Queue(stateful, 'Planted', { enforceSSL: true });
    // Act / Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
