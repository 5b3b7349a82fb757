import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { isFunctionOn, type ServiceFeature } from '#shared/composition/service-functions';
import { SERVICE_MANIFEST } from '#shared/composition/service-manifest';
import { allFeatures, synthWithFeatures } from './helpers/feature-stages.js';
import { renderValue, resourcesOfType } from './helpers/stage-app.js';

const full = synthWithFeatures(true);
const core = synthWithFeatures(false);

/** JSON with object keys in order, so a pattern compares equal whatever order CDK renders it in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** `<logical id without hash>.Arn` of each function, by its Powertools service name. */
const functionArnsByService = (template: Template): Record<string, string> =>
  Object.fromEntries(
    resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => [
      (fn['Environment'] as { Variables: Record<string, string> }).Variables['POWERTOOLS_SERVICE_NAME'],
      renderValue({ 'Fn::GetAtt': [id, 'Arn'] }),
    ]),
  );

/** Each route of the template as `routeKey auth → function`. */
const templateRoutes = (template: Template): string[] => {
  const integrations = Object.fromEntries(
    resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map(([id, integration]) => [
      `integrations/ref(${renderValue({ Ref: id }).slice(4, -1)})`,
      renderValue(integration['IntegrationUri']),
    ]),
  );
  return resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
    ([, route]) =>
      `${route['RouteKey']} ${route['AuthorizationType']} → ${integrations[renderValue(route['Target'])] ?? '?'}`,
  );
};

/** Each rule of the template as `pattern or rate → function (retries, max age)`. */
const templateRules = (template: Template): string[] =>
  resourcesOfType(template, 'AWS::Events::Rule').map(([, rule]) => {
    const [target] = rule['Targets'] as { Arn: unknown; RetryPolicy?: Record<string, number> }[];
    const trigger = rule['ScheduleExpression'] ?? canonical(rule['EventPattern']);
    return `${trigger} → ${renderValue(target?.Arn)} ${JSON.stringify(target?.RetryPolicy)}`;
  });

/** What the manifest says the template holds with these features on. */
const expected = (template: Template, on: Record<ServiceFeature, boolean>) => {
  const arns = functionArnsByService(template);
  const arnOf = (name: keyof typeof SERVICE_MANIFEST.functions) => arns[SERVICE_MANIFEST.functions[name].serviceName];
  const routes = SERVICE_MANIFEST.routes
    .filter((route) => isFunctionOn(route.function, on))
    .map((route) => `${route.routeKey} ${route.auth === 'iam' ? 'AWS_IAM' : 'NONE'} → ${arnOf(route.function)}`);
  const rules = SERVICE_MANIFEST.rules
    .filter((rule) => isFunctionOn(rule.target, on))
    .map(
      (rule) =>
        `${canonical(rule.pattern)} → ${arnOf(rule.target)} ${JSON.stringify({
          MaximumEventAgeInSeconds: rule.retry.maxEventAgeMinutes * 60,
          MaximumRetryAttempts: rule.retry.attempts,
        })}`,
    );
  const schedules = SERVICE_MANIFEST.schedules
    .filter((schedule) => isFunctionOn(schedule.target, on))
    .map(
      (s) =>
        `rate(${s.everyMinutes} minute${s.everyMinutes === 1 ? '' : 's'}) → ${arnOf(s.target)} ${JSON.stringify({ MaximumRetryAttempts: 0 })}`,
    );
  return { routes, rules: [...rules, ...schedules] };
};

describe('Service stack from the service manifest', () => {
  it.each([
    ['every feature on', full.serviceTemplate, allFeatures(true)],
    ['every feature off', core.serviceTemplate, allFeatures(false)],
  ])('has exactly the manifest routes, rules and schedules with %s', (_, template, on) => {
    // Act
    const want = expected(template, on);
    // Assess
    expect(templateRoutes(template).sort()).toEqual(want.routes.sort());
    expect(templateRules(template).sort()).toEqual(want.rules.sort());
  });
});
