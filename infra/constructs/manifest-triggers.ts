import { Duration } from 'aws-cdk-lib';
import {
  type HttpApi,
  type HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
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
 * An HTTP API of the service and what authorizes its callers (the manifest's `iam` routes). API Gateway allows one
 * authorizer per route, so SigV4 callers use the main API and each OIDC issuer's callers an API of its own.
 */
export type Gateway = {
  readonly api: HttpApi;
  /** Prefix of its route construct ids: '' on the main API, so the main routes' logical ids never change. */
  readonly idPrefix: string;
  /** IAM on the main API; the issuer's JWT authorizer (issuer and audience) on an OIDC API. */
  readonly callers: IHttpRouteAuthorizer;
  /** Only the main API serves the public (`none`) and `signed` routes; an OIDC API serves the callers' routes. */
  readonly main: boolean;
  /** The issuer whose JWTs an OIDC API takes; absent on the main API. */
  readonly issuer?: string;
};

/**
 * The service manifest's HTTP routes of one function (`handler`), added to each gateway in `scope` (construct id: the gateway's
 * prefix, method and path): `iam` routes with the gateway's caller authorizer, `none` and `signed` ones without
 * gateway auth and on the main API only.
 */
export function addManifestRoutes(
  scope: Construct,
  gateways: readonly Gateway[],
  name: FunctionName,
  handler: IFunction,
): HttpRoute[] {
  return gateways.flatMap((gateway) => {
    // An integration belongs to one API; the main API's keeps the id it always had.
    const integration = new HttpLambdaIntegration(`${gateway.idPrefix}Integration`, handler);
    return routesOf(name)
      .filter((route) => gateway.main || route.auth === 'iam')
      .map((route) => {
        const { method, path } = splitRouteKey(route.routeKey);
        const httpRoute = new HttpRoute(scope, `${gateway.idPrefix}${method}${path.replace(/[^A-Za-z0-9]/g, '')}`, {
          httpApi: gateway.api,
          routeKey: HttpRouteKey.with(path, method as HttpMethod),
          integration,
          authorizer: route.auth === 'iam' ? gateway.callers : new HttpNoneAuthorizer(),
        });
        if (route.auth !== 'iam')
          acknowledge(httpRoute, { rule: 'AwsSolutions-APIG4', reason: NO_GATEWAY_AUTH[route.auth] });
        return httpRoute;
      });
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
