import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type FunctionName, isFunctionOn } from '#shared/composition/service-functions';
import { ENV } from '#shared/config/env-keys';
import { loadStagePolicy } from '../access-policy.js';
import { stageConsoleOidc } from '../console-oidc.js';
import { CallbackNotifier } from '../constructs/callback-notifier.js';
import { CloneApi } from '../constructs/clone-api.js';
import { CloneWorker } from '../constructs/clone-worker.js';
import { ConsoleSite } from '../constructs/console-site.js';
import { GithubRunnerAccess } from '../constructs/github-runners.js';
import { HooksFunction } from '../constructs/hooks-function.js';
import { ScheduledFunction } from '../constructs/scheduled-function.js';
import { ServiceAlarms } from '../constructs/service-alarms.js';
import { ServiceDashboard } from '../constructs/service-dashboard.js';
import { SlackNotifier } from '../constructs/slack-notifier.js';
import { StatusApi } from '../constructs/status-api.js';
import { vcenterAccess } from '../constructs/vcenter-access.js';
import { WarmPools } from '../constructs/warm-pools.js';
import { WorkerNetwork } from '../constructs/worker-network.js';
import { FUNCTIONS_DIR } from '../paths.js';
import type { StageConfig } from '../stage-config.js';
import { serviceFunctions } from './service-functions.js';
import type { StatefulResources } from './stateful-stack.js';

/** CDK context key that turns warm pools on (`-c instaclone:warmPools=true`). */
export const WARM_POOLS_CONTEXT = 'instaclone:warmPools';

/** The reaper's timeout: room for the GitHub API calls (10 s each) of idle runner clones. */
export const REAPER_TIMEOUT = Duration.minutes(2);

export type ServiceStackProps = StackProps & {
  readonly config: StageConfig;
  readonly stateful: StatefulResources;
  /** Folder with one `<name>/handler.ts` per function. @default the repository's `functions/` */
  readonly functionsDir?: string;
  /**
   * Warm pools: the pool API routes, the pool scaler and its rules. Until the stage schema has a feature flag for it,
   * `cdk synth -c instaclone:warmPools=true` turns it on. @default the `instaclone:warmPools` context value, else false
   */
  readonly warmPools?: boolean;
};

/**
 * The stateless part, safe to destroy and redeploy: API (HTTP API + function), worker in the VPC with its event
 * source mapping, optional housekeeping and notifier functions (stage `features`), alarms and dashboard.
 */
export class ServiceStack extends Stack {
  readonly api: CloneApi;
  readonly worker: CloneWorker;
  readonly pools?: WarmPools;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    // A function of the service manifest: its `handler.ts`, and whether the stage has it (its feature is on).
    const entry = (name: FunctionName) => join(props.functionsDir ?? FUNCTIONS_DIR, name, 'handler.ts');
    // Validated against RetentionDays' values by the stage schema.
    const logRetention = config.logRetentionDays as RetentionDays;
    // Checked here, before any construct: a policy that does not parse or lint stops the synthesis. Only the functions
    // that decide who may do what get it.
    const accessPolicy = loadStagePolicy(config);
    const consoleOidc = stageConsoleOidc(config, accessPolicy);
    const shared = { stateful, logRetention };
    // The optional functions' constructs take the stage's log level; the API and worker read it from `config`.
    const optional = { ...shared, logLevel: config.logLevel };
    const vcenterUrl = new URL(config.vcenter.url);

    const network = new WorkerNetwork(this, 'WorkerNetwork', {
      network: config.network,
      vcenterCidr: config.vcenter.cidr,
      vcenterPort: Number(vcenterUrl.port || 443),
    });
    // Every function that talks to vCenter reaches it the same way: the worker's subnets, settings and secret.
    const vcenter = vcenterAccess(config, stateful, network);
    this.worker = new CloneWorker(this, 'CloneWorker', {
      ...shared,
      accessPolicy,
      entry: entry('clone-worker'),
      config,
      vcenter,
    });
    this.api = new CloneApi(this, 'CloneApi', { ...shared, accessPolicy, entry: entry('clone-api'), config });
    const consoleSite = new ConsoleSite(this, 'Console', {
      entry: entry('console'),
      gateways: this.api.gateways,
      logRetention,
      logLevel: config.logLevel,
      ...(consoleOidc && { oidc: consoleOidc }),
    });
    const status = new StatusApi(this, 'StatusApi', {
      ...shared,
      accessPolicy,
      entry: entry('status-api'),
      config,
      vcenter,
      gateways: this.api.gateways,
    });

    const warmPools = props.warmPools ?? [true, 'true'].includes(this.node.tryGetContext(WARM_POOLS_CONTEXT));
    const on = (name: FunctionName) => isFunctionOn(name, { ...config.features, warmPools });
    if (on('pool-api')) {
      this.pools = new WarmPools(this, 'WarmPools', {
        ...optional,
        accessPolicy,
        apiEntry: entry('pool-api'),
        scalerEntry: entry('pool-scaler'),
        gateways: this.api.gateways,
        vcenter,
        maxConcurrency: config.vcenter.maxConcurrency,
        macRanges: config.macRanges,
      });
    }
    const reconciler = on('reconciler')
      ? new ScheduledFunction(this, 'Reconciler', {
          ...optional,
          accessPolicy,
          name: 'reconciler',
          entry: entry('reconciler'),
        })
      : undefined;
    const reaper = on('reaper')
      ? new ScheduledFunction(this, 'Reaper', {
          ...optional,
          name: 'reaper',
          entry: entry('reaper'),
          timeout: REAPER_TIMEOUT,
        })
      : undefined;
    // With warm pools, the reaper announces claims whose lease ran out (`Pool Released`, reason `lease expired`).
    if (reaper && this.pools) {
      reaper.nodeFunction.function.addEnvironment(ENV.EVENT_BUS_NAME, stateful.eventBus.eventBusName);
      stateful.eventBus.grantPutEventsTo(reaper.nodeFunction.role);
    }
    const callbackNotifier = on('callback-notifier')
      ? new CallbackNotifier(this, 'CallbackNotifier', { ...optional, entry: entry('callback-notifier') })
      : undefined;
    // Issue 9: signed hooks, Slack outcomes, GitHub runner clones (validated together by the stage schema).
    const hooks = on('hooks')
      ? new HooksFunction(this, 'Hooks', {
          ...optional,
          accessPolicy,
          entry: entry('hooks'),
          gateways: this.api.gateways,
          github: config.github,
          macRanges: config.macRanges,
          vcenter,
        })
      : undefined;
    const slackNotifier = on('slack-notifier')
      ? new SlackNotifier(this, 'SlackNotifier', { ...optional, entry: entry('slack-notifier') })
      : undefined;
    if (config.github.enabled) {
      new GithubRunnerAccess(this, 'GithubRunners', {
        github: config.github,
        awsApiAccess: config.network.awsApiAccess,
        privateKey: stateful.integrationSecrets.githubAppPrivateKey,
        worker: this.worker.nodeFunction,
        workerNetwork: network,
        ...(reaper && { reaper: reaper.nodeFunction }),
      });
    }

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the v1 API (SigV4)', value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'WorkerSecurityGroupId', {
      description: 'Allow this group on vCenter 443 if vCenter filters by source',
      value: network.securityGroup.securityGroupId,
    });

    const functions = serviceFunctions({
      worker: this.worker,
      api: this.api,
      console: consoleSite,
      status,
      hooks,
      pools: this.pools,
      reconciler,
      reaper,
      callbackNotifier,
      slackNotifier,
    });
    const alarms = new ServiceAlarms(this, 'Alarms', {
      functions,
      cloneQueue: stateful.cloneQueue,
      oldestMessageAge: Duration.seconds(config.alarms.oldestMessageAgeSeconds),
      action: new SnsAction(stateful.alarmTopic),
    });
    new ServiceDashboard(this, 'Dashboard', {
      dashboardName: `instaclone-${config.stage}`,
      functions,
      cloneQueue: stateful.cloneQueue,
      deadLetterQueue: stateful.cloneDeadLetterQueue,
      notificationDeadLetterQueue: stateful.notificationDeadLetterQueue,
      alarms: alarms.alarms,
    });
  }
}
