import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '#shared/config/env-keys';
import { POOL_EVENT_RULES } from '#shared/pools/model/pool-events';
import { SCALING_LEASE_MS } from '#shared/pools/use-cases/scale-pool';
import { toCdkEventPattern } from '../event-pattern.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { JOB_TABLE_ACTIONS } from '../table-access.js';
import type { ApiRoute } from './api-routes.js';
import { NodeFunction } from './node-function.js';

/** The pool routes (issue 10), IAM-authenticated like the clone routes. */
export const POOL_ROUTES: readonly ApiRoute[] = [
  { method: HttpMethod.GET, path: '/v1/pools', auth: 'iam' },
  { method: HttpMethod.PUT, path: '/v1/pools/{name}', auth: 'iam' },
  { method: HttpMethod.GET, path: '/v1/pools/{name}', auth: 'iam' },
  { method: HttpMethod.DELETE, path: '/v1/pools/{name}', auth: 'iam' },
  { method: HttpMethod.POST, path: '/v1/pools/{name}/claim', auth: 'iam' },
  { method: HttpMethod.POST, path: '/v1/pools/{name}/release', auth: 'iam' },
];

/** The scaler's safety-net schedule; events do the work, this catches lost ones and ends back-offs. */
export const POOL_SCALER_RATE = Duration.minutes(1);
/** Below the scaling lease, so a lease never expires under a live run. */
export const POOL_SCALER_TIMEOUT = Duration.seconds(60);
if (POOL_SCALER_TIMEOUT.toMilliseconds() >= SCALING_LEASE_MS)
  throw new Error('scaler timeout must stay below its lease');

/** Scaler table access: pools (get, lease updates), jobs by status, new jobs, claims for retirement. */
const SCALER_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

export type WarmPoolsProps = {
  readonly apiEntry: string;
  readonly scalerEntry: string;
  readonly httpApi: HttpApi;
  readonly stateful: StatefulResources;
  /** The vCenter concurrency cap: the scaler never lets more jobs be in flight. */
  readonly maxConcurrency: number;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * Warm pools: the pool API function behind the `/v1/pools*` routes, and the pool scaler, invoked by the shared
 * `POOL_EVENT_RULES` on the service bus (pool clone completions, claims, releases, `Pool Scale Requested` from any
 * source) and on a schedule. Neither talks to vCenter (the worker does), so both run outside the VPC.
 */
export class WarmPools extends Construct {
  readonly api: NodeFunction;
  readonly scaler: NodeFunction;
  readonly rules: readonly Rule[];

  constructor(scope: Construct, id: string, props: WarmPoolsProps) {
    super(scope, id);
    const { stateful } = props;
    const environment = {
      [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
      [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
      [ENV.EVENT_BUS_NAME]: stateful.eventBus.eventBusName,
    };
    const common = { logRetention: props.logRetention, logLevel: props.logLevel };
    this.api = new NodeFunction(this, 'Api', {
      ...common,
      entry: props.apiEntry,
      serviceName: 'instaclone-pool-api',
      description: 'instaclone pool API: pools, claims, releases',
      environment,
    });
    this.scaler = new NodeFunction(this, 'Scaler', {
      ...common,
      entry: props.scalerEntry,
      serviceName: 'instaclone-pool-scaler',
      description: 'instaclone pool scaler: keeps spare clones ready',
      timeout: POOL_SCALER_TIMEOUT,
      environment: { ...environment, [ENV.VCENTER_MAX_CONCURRENCY]: String(props.maxConcurrency) },
    });
    stateful.jobTable.grant(this.api.role, ...JOB_TABLE_ACTIONS.api);
    stateful.jobTable.grant(this.scaler.role, ...SCALER_TABLE_ACTIONS);
    for (const fn of [this.api, this.scaler]) {
      stateful.cloneQueue.grantSendMessages(fn.role);
      stateful.eventBus.grantPutEventsTo(fn.role);
    }

    const integration = new HttpLambdaIntegration('Integration', this.api.function);
    for (const route of POOL_ROUTES) {
      new HttpRoute(this, `${route.method}${route.path.replace(/[^A-Za-z0-9]/g, '')}`, {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(route.path, route.method),
        integration,
        authorizer: new HttpIamAuthorizer(),
      });
    }

    const target = new LambdaFunction(this.scaler.function, { retryAttempts: 2, maxEventAge: Duration.minutes(15) });
    this.rules = [
      ...Object.entries(POOL_EVENT_RULES).map(
        ([name, pattern]) =>
          new Rule(this, name, {
            description: `${name} → pool scaler`,
            eventBus: stateful.eventBus,
            eventPattern: toCdkEventPattern(pattern),
            targets: [target],
          }),
      ),
      new Rule(this, 'Schedule', {
        description: 'pool scaler safety net',
        schedule: Schedule.rate(POOL_SCALER_RATE),
        targets: [new LambdaFunction(this.scaler.function, { retryAttempts: 0 })],
      }),
    ];
  }
}
