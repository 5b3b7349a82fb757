import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '#infra/build-app';
import { WARM_POOLS_CONTEXT } from '#infra/stacks/service-stack';
import { routesOf } from '#shared/composition/service-manifest';
import { ENV } from '#shared/config/env-keys';
import { POOL_EVENT_RULES } from '#shared/pools/model/pool-events';
import { devStageWith, FIXTURE_FUNCTIONS_DIR, renderValue, resourcesOfType, synthStage } from './helpers/stage-app.js';

const config = devStageWith();
const outdir = mkdtempSync(join(tmpdir(), 'instaclone-pools-infra-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], [WARM_POOLS_CONTEXT]: true } });
const template = Template.fromStack(buildApp(app, config, { functionsDir: FIXTURE_FUNCTIONS_DIR }).service);
const functions = resourcesOfType(template, 'AWS::Lambda::Function');
const fn = (prefix: string) => functions.find(([id]) => id.startsWith(prefix)) ?? ['', {}];
const [, scaler] = fn('WarmPoolsScaler');
const [, poolApi] = fn('WarmPoolsApi');
const envOf = (f: Record<string, unknown>) => (f['Environment'] as { Variables: Record<string, unknown> }).Variables;

describe('Warm pools infrastructure', () => {
  it('is off unless the stage turns it on', () => {
    // Act
    const { serviceTemplate } = synthStage(config);
    // Assess
    expect(resourcesOfType(serviceTemplate, 'AWS::Lambda::Function').map(([id]) => id)).not.toContainEqual(
      expect.stringMatching(/^WarmPools/),
    );
  });

  it('deploys the pool API next to vCenter (claims read the VM) and the scaler outside the VPC with the cap', () => {
    // Assess
    expect(envOf(poolApi)).toMatchObject({
      [ENV.EVENT_BUS_NAME]: expect.anything(),
      [ENV.VCENTER_URL]: config.vcenter.url,
      [ENV.VCENTER_SECRET_ARN]: expect.anything(),
      POWERTOOLS_SERVICE_NAME: 'instaclone-pool-api',
    });
    expect(envOf(scaler)).toMatchObject({
      [ENV.VCENTER_MAX_CONCURRENCY]: String(config.vcenter.maxConcurrency),
      [ENV.JOBS_TABLE_NAME]: expect.anything(),
      [ENV.CLONE_QUEUE_URL]: expect.anything(),
      POWERTOOLS_SERVICE_NAME: 'instaclone-pool-scaler',
    });
    expect(scaler['Timeout']).toBe(60);
    expect(scaler['VpcConfig']).toBeUndefined();
    expect(renderValue(poolApi['VpcConfig'])).toEqual(renderValue(fn('CloneWorker')[1]['VpcConfig']));
  });

  it('serves every pool route with IAM auth', () => {
    // Act
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route')
      .map(([, r]) => [r['RouteKey'], r['AuthorizationType']])
      .filter(([key]) => String(key).includes('/v1/pools'));
    // Assess
    expect(routes.sort()).toEqual(
      routesOf('pool-api')
        .map((r) => [r.routeKey, 'AWS_IAM'])
        .sort(),
    );
  });

  it('invokes the scaler on the shared pool rules of the service bus and on a schedule', () => {
    // Act
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
      (rule['Targets'] as { Arn: unknown }[]).some((t) => renderValue(t.Arn) === 'WarmPoolsScalerFunction.Arn'),
    );
    // Assess
    expect(rules.map(([, r]) => r['EventPattern']).filter(Boolean)).toEqual(Object.values(POOL_EVENT_RULES));
    expect(
      rules
        .filter(([, r]) => r['EventPattern'])
        .every(([, r]) => renderValue(r['EventBusName']) === 'import(EventBus)'),
    ).toBe(true);
    expect(rules.map(([, r]) => r['ScheduleExpression']).filter(Boolean)).toEqual(['rate(1 minute)']);
  });

  it('lets both functions publish to the bus and queue clones, and only the pool API read the vCenter secret', () => {
    // Act
    const actionsOf = (prefix: string) =>
      resourcesOfType(template, 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith(prefix))
        .flatMap(([, p]) => (p['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement)
        .flatMap((s) => [s.Action].flat());
    const [api, scalerActions] = [actionsOf('WarmPoolsApi'), actionsOf('WarmPoolsScaler')];
    // Assess
    for (const actions of [api, scalerActions])
      expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 'sqs:SendMessage', 'dynamodb:UpdateItem']));
    expect(api).toContain('secretsmanager:GetSecretValue');
    expect(scalerActions).not.toContainEqual(expect.stringMatching(/^secretsmanager:/));
  });

  it('lets the reaper announce claims whose lease ran out, only when pools are on', () => {
    // Prepare
    const withReaper = devStageWith({
      features: { reconciler: false, reaper: true, callbackNotifier: false, hooks: false, slackNotifier: false },
    });
    const poolsApp = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], [WARM_POOLS_CONTEXT]: true } });
    const reaperOf = (t: Template) => {
      const reaper = resourcesOfType(t, 'AWS::Lambda::Function').find(([id]) => id.startsWith('ReaperHandler'));
      const actions = resourcesOfType(t, 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith('ReaperHandlerRole'))
        .flatMap(([, p]) => (p['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement)
        .flatMap((statement) => [statement.Action].flat());
      return { env: envOf(reaper?.[1] ?? { Environment: { Variables: {} } }), actions };
    };
    // Act
    const withPools = reaperOf(
      Template.fromStack(buildApp(poolsApp, withReaper, { functionsDir: FIXTURE_FUNCTIONS_DIR }).service),
    );
    const without = reaperOf(synthStage(withReaper).serviceTemplate);
    // Assess
    expect(renderValue(withPools.env[ENV.EVENT_BUS_NAME])).toBe('import(EventBus)');
    expect(withPools.actions).toContain('events:PutEvents');
    expect(without.env[ENV.EVENT_BUS_NAME]).toBeUndefined();
    expect(without.actions).toContain('dynamodb:Query');
    expect(without.actions).not.toContain('events:PutEvents');
  });
});
