import { Duration } from 'aws-cdk-lib';
import {
  type HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { FunctionName } from '#shared/composition/service-functions';
import { routesOf, rulesTargeting, scheduleOf, splitRouteKey } from '#shared/composition/service-manifest';
import { toCdkEventPattern } from '../event-pattern.js';
import { acknowledge } from '../nag.js';

/** Why a route may go without gateway authorization, by the manifest's auth kind. */
const NO_GATEWAY_AUTH = {
  none: 'A public route by design (health, the OpenAPI document): it reads no job data',
  signed: "The function verifies the sender's HMAC signature itself (GitHub, Slack, generic hook) in constant time",
} as const;

/**
 * The service manifest's HTTP routes of one function, added to the API in `scope` (construct id: method and path):
 * `iam` routes with the IAM authorizer, `none` and `signed` ones without gateway auth.
 */
export function addManifestRoutes(
  scope: Construct,
  httpApi: HttpApi,
  name: FunctionName,
  integration: HttpRouteIntegration,
): HttpRoute[] {
  return routesOf(name).map((route) => {
    const { method, path } = splitRouteKey(route.routeKey);
    const httpRoute = new HttpRoute(scope, `${method}${path.replace(/[^A-Za-z0-9]/g, '')}`, {
      httpApi,
      routeKey: HttpRouteKey.with(path, method as HttpMethod),
      integration,
      authorizer: route.auth === 'iam' ? new HttpIamAuthorizer() : new HttpNoneAuthorizer(),
    });
    if (route.auth !== 'iam')
      acknowledge(httpRoute, { rule: 'AwsSolutions-APIG4', reason: NO_GATEWAY_AUTH[route.auth] });
    return httpRoute;
  });
}

/** The service manifest's event rules that invoke one function, on the service bus, in `scope`. */
export function addManifestRules(scope: Construct, name: FunctionName, handler: IFunction, bus: IEventBus): Rule[] {
  return rulesTargeting(name).map(
    (rule) =>
      new Rule(scope, rule.name, {
        description: rule.description,
        eventBus: bus,
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [
          new LambdaFunction(handler, {
            retryAttempts: rule.retry.attempts,
            maxEventAge: Duration.minutes(rule.retry.maxEventAgeMinutes),
          }),
        ],
      }),
  );
}

/** The service manifest's schedule of one function (construct id `Schedule`, no retries), if it has one. */
export function addManifestSchedule(scope: Construct, name: FunctionName, handler: IFunction): Rule | undefined {
  const schedule = scheduleOf(name);
  if (!schedule) return undefined;
  return new Rule(scope, 'Schedule', {
    description: schedule.description,
    schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
    targets: [new LambdaFunction(handler, { retryAttempts: 0 })],
  });
}
