import { Duration } from 'aws-cdk-lib';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import type { HooksConfig } from '#shared/hooks/config';
import type { StagePolicy } from '../access-policy.js';
import type { StatefulResources } from '../stacks/stateful-stack.js';
import { macRangesEnv, runnerPoolsEnv, type StageConfig } from '../stage-config.js';
import { grantJobTable, JOB_TABLE_ACTIONS, JOB_TABLE_INDEX_READS } from '../table-access.js';
import { addManifestRoutes, type Gateway } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';
import type { VcenterAccess } from './vcenter-access.js';

/** GitHub gives a webhook 10 s, Slack a slash command 3 s; anything slower has failed for the sender anyway. */
export const HOOKS_TIMEOUT = Duration.seconds(10);

/** Environment variables of the hooks function (names checked against its config schema). */
export const HOOKS_ENV = {
  genericHookSecretArn: 'GENERIC_HOOK_SECRET_ARN',
  githubWebhookSecretArn: 'GITHUB_WEBHOOK_SECRET_ARN',
  slackSigningSecretArn: 'SLACK_SIGNING_SECRET_ARN',
  githubRunnerPools: 'GITHUB_RUNNER_POOLS',
} as const satisfies Record<string, keyof HooksConfig>;

export type HooksFunctionProps = {
  readonly entry: string;
  /** The service's APIs; the hook routes are added to the main one without gateway auth. */
  readonly gateways: readonly Gateway[];
  /** The stage's policy (Slack users and hooks are principals it decides on). @default none */
  readonly accessPolicy?: StagePolicy | undefined;
  readonly stateful: StatefulResources;
  /** How a warm runner claim reaches vCenter (it reads the job id on the spare's VM); used only with warm runners. */
  readonly vcenter: VcenterAccess;
  /** With `github.enabled`, the function gets the runner pools (otherwise every workflow job is ignored). */
  readonly github: StageConfig['github'];
  /** The stage's managed MAC ranges, for hook requests that allocate from one. */
  readonly macRanges: StageConfig['macRanges'];
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
};

/**
 * The hooks function (`functions/hooks`) behind `POST /v1/hooks/generic`, `POST /v1/hooks/github` and
 * `POST /v1/chat/slack`. The routes have no gateway auth: the function verifies each provider's HMAC signature
 * over the raw body with that provider's secret (read on first use from Secrets Manager, by ARN).
 * Permissions: the job table (hooks actions: create, read and cancel jobs, GitHub delivery claims, idempotency
 * records), send to the clone queue, read of the generic-hook, GitHub-webhook and Slack-signing secrets only. With
 * a runner pool that names a `warmPool`, also Query (ready spares) and PutEvents (`Pool Claimed`) on the bus, and
 * then it runs next to vCenter as the worker does (a warm claim reads the job id on the spare's VM before handing it
 * out); otherwise it calls only AWS APIs and runs outside the VPC.
 */
export class HooksFunction extends Construct {
  readonly nodeFunction: NodeFunction;
  readonly routes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: HooksFunctionProps) {
    super(scope, id);
    const { stateful } = props;
    const { genericHook, githubWebhook, slackSigning } = stateful.integrationSecrets;
    const warmRunners = props.github.enabled && props.github.runnerPools.some((pool) => pool.warmPool);
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('hooks'),
      description: 'instaclone hooks: signed CI webhooks (generic, GitHub) and Slack commands',
      timeout: HOOKS_TIMEOUT,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: {
        [ENV.JOBS_TABLE_NAME]: stateful.jobTable.tableName,
        [ENV.CLONE_QUEUE_URL]: stateful.cloneQueue.queueUrl,
        [HOOKS_ENV.genericHookSecretArn]: genericHook.secretArn,
        [HOOKS_ENV.githubWebhookSecretArn]: githubWebhook.secretArn,
        [HOOKS_ENV.slackSigningSecretArn]: slackSigning.secretArn,
        ...(props.github.enabled && { [HOOKS_ENV.githubRunnerPools]: runnerPoolsEnv(props.github) }),
        ...(warmRunners && { [ENV.EVENT_BUS_NAME]: stateful.eventBus.eventBusName }),
        ...macRangesEnv(props.macRanges),
        ...(warmRunners && props.vcenter.environment),
      },
      ...(warmRunners && { vpc: props.vcenter.vpc, bundledFiles: props.vcenter.bundledFiles }),
      accessPolicy: props.accessPolicy,
    });
    const role = this.nodeFunction.role;
    if (warmRunners) props.vcenter.grantRead(role);
    grantJobTable(
      stateful.jobTable,
      role,
      [...JOB_TABLE_ACTIONS.hooks, ...(warmRunners ? JOB_TABLE_ACTIONS.hooksWarmRunners : [])],
      warmRunners ? JOB_TABLE_INDEX_READS.hooksWarmRunners : [],
    );
    if (warmRunners) stateful.eventBus.grantPutEventsTo(role);
    stateful.cloneQueue.grantSendMessages(role);
    for (const secret of [genericHook, githubWebhook, slackSigning]) secret.grantRead(role);

    // One exact route per provider (the manifest's `signed` routes): an unknown provider never invokes the function.
    this.routes = addManifestRoutes(this, props.gateways, 'hooks', this.nodeFunction.function);
  }
}
