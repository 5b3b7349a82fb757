import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import type { StageIssuer, StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { macRangesEnv, type StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS, JOB_TABLE_INDEX_READS } from '../table-access.js';
import { addManifestRoutes, type Gateway } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';

/** Steady-state requests per second the stage accepts before answering 429; clones are heavy, callers few. */
export const API_RATE_LIMIT = 50;
export const API_BURST_LIMIT = 100;

export type CloneApiProps = {
  readonly entry: string;
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  readonly logRetention: RetentionDays;
  /** The stage's policy: bundled into the function, and one OIDC API per issuer. @default none */
  readonly accessPolicy?: StagePolicy | undefined;
};

/**
 * The HTTP APIs and their function. One Lambda integration serves every route (the function routes internally).
 * The main API enforces SigV4 on the callers' routes (`/v1/clones*` …) and leaves health, the OpenAPI document and
 * the signed hooks without gateway auth; each OIDC issuer of the stage's policy gets an API of its own whose callers'
 * routes need a JWT of that issuer and audience (the function then decides on the claims). Other constructs add their
 * routes to {@link CloneApi.gateways} (warm pools; the hooks function's signed routes, main API only).
 * Every stage has access logs and throttling. The function may use the job table (API actions) and send to the
 * clone queue; it never talks to vCenter, so it runs outside the VPC.
 */
export class CloneApi extends Construct {
  readonly api: HttpApi;
  readonly gateways: readonly Gateway[];
  readonly function: IFunction;
  readonly nodeFunction: NodeFunction;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: CloneApiProps) {
    super(scope, id);
    const { config, stateful } = props;
    this.logRetention = props.logRetention;
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
      accessPolicy: props.accessPolicy,
    });
    this.function = this.nodeFunction.function;
    grantJobTable(stateful.jobTable, this.nodeFunction.role, [...JOB_TABLE_ACTIONS.api], JOB_TABLE_INDEX_READS.api);
    stateful.cloneQueue.grantSendMessages(this.nodeFunction.role);

    this.api = this.servedApi(
      'HttpApi',
      `instaclone-${config.stage}`,
      'instaclone: vSphere Instant Clone as a service',
    );
    const main: Gateway = { api: this.api, idPrefix: '', callers: new HttpIamAuthorizer(), main: true };
    const oidc = (props.accessPolicy?.issuers ?? []).map((issuer) => this.oidcGateway(config.stage, issuer));
    this.gateways = [main, ...oidc];
    addManifestRoutes(this, this.gateways, 'clone-api', this.function);
  }

  /** An HTTP API whose `$default` stage has access logs and the stage's throttling. */
  private servedApi(id: string, apiName: string, description: string): HttpApi {
    const api = new HttpApi(this, id, { apiName, description, createDefaultStage: false });
    const accessLogs = new LogGroup(this, id === 'HttpApi' ? 'AccessLogs' : `${id}AccessLogs`, {
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, id === 'HttpApi' ? 'DefaultStage' : `${id}Stage`, {
      httpApi: api,
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: API_RATE_LIMIT, burstLimit: API_BURST_LIMIT },
    });
    return api;
  }

  /** The API for callers with a JWT of `issuer` (API Gateway checks issuer, audience, expiry and signature). */
  private oidcGateway(stage: string, issuer: StageIssuer): Gateway {
    const id = `Oidc${issuer.name.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase())}`;
    const api = this.servedApi(
      id,
      `instaclone-${stage}-${issuer.name}`,
      `instaclone for OIDC tokens of ${issuer.issuer}`,
    );
    new CfnOutput(this, `${id}Url`, {
      description: `Base URL of the v1 API for OIDC tokens of ${issuer.issuer} (audience ${issuer.audience})`,
      value: api.apiEndpoint,
    });
    const callers = new HttpJwtAuthorizer(`${id}Authorizer`, issuer.issuer, {
      authorizerName: `instaclone-${issuer.name}`,
      jwtAudience: [issuer.audience],
    });
    return { api, idPrefix: id, callers, main: false, issuer: issuer.issuer };
  }
}
