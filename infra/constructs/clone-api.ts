import { RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { macRangesEnv, type StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS } from '../table-access.js';
import { addManifestRoutes } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';

/** Steady-state requests per second the stage accepts before answering 429; clones are heavy, callers few. */
export const API_RATE_LIMIT = 50;
export const API_BURST_LIMIT = 100;

export type CloneApiProps = {
  readonly entry: string;
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  readonly logRetention: RetentionDays;
};

/**
 * The HTTP API and its function. One Lambda integration serves every route (the function routes internally);
 * the gateway enforces SigV4 on `/v1/clones*` and leaves health and the OpenAPI document public. Other constructs
 * add their routes to {@link CloneApi.api} (warm pools; the hooks function's signed webhook and chat routes).
 * The `$default` stage has access logs and throttling. The function may use the job table (API actions) and send
 * to the clone queue; it never talks to vCenter, so it runs outside the VPC.
 */
export class CloneApi extends Construct {
  readonly api: HttpApi;
  readonly function: IFunction;
  readonly nodeFunction: NodeFunction;

  constructor(scope: Construct, id: string, props: CloneApiProps) {
    super(scope, id);
    const { config, stateful } = props;
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('clone-api'),
      description: 'instaclone HTTP API',
      logRetention: props.logRetention,
      logLevel: config.logLevel,
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
        ...macRangesEnv(config.macRanges),
      },
    });
    this.function = this.nodeFunction.function;
    grantJobTable(stateful.jobTable, this.nodeFunction.role, [...JOB_TABLE_ACTIONS.api]);
    stateful.cloneQueue.grantSendMessages(this.nodeFunction.role);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `instaclone-${config.stage}`,
      description: 'instaclone: vSphere Instant Clone as a service',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: API_RATE_LIMIT, burstLimit: API_BURST_LIMIT },
    });

    addManifestRoutes(this, this.api, 'clone-api', new HttpLambdaIntegration('Integration', this.function));
  }
}
