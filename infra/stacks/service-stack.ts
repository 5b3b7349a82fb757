import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '#shared/config/env-keys';
import { CallbackNotifier } from '../constructs/callback-notifier.js';
import { CloneApi } from '../constructs/clone-api.js';
import { CloneWorker } from '../constructs/clone-worker.js';
import { GithubRunnerAccess } from '../constructs/github-runners.js';
import { HooksFunction } from '../constructs/hooks-function.js';
import { ScheduledFunction } from '../constructs/scheduled-function.js';
import { ServiceAlarms } from '../constructs/service-alarms.js';
import { ServiceDashboard } from '../constructs/service-dashboard.js';
import { SlackNotifier } from '../constructs/slack-notifier.js';
import { WarmPools } from '../constructs/warm-pools.js';
import { WorkerNetwork } from '../constructs/worker-network.js';
import { FUNCTIONS_DIR } from '../paths.js';
import type { StageConfig } from '../stage-config.js';
import { serviceFunctions } from './service-functions.js';
import type { StatefulResources } from './stateful-stack.js';

/** Folder under `functions/` of each function's `handler.ts`. */
export const FUNCTION_FOLDERS = {
  api: 'clone-api',
  worker: 'clone-worker',
  reconciler: 'reconciler',
  reaper: 'reaper',
  callbackNotifier: 'callback-notifier',
  hooks: 'hooks',
  slackNotifier: 'slack-notifier',
  poolApi: 'pool-api',
  poolScaler: 'pool-scaler',
} as const;

/** CDK context key that turns warm pools on (`-c instaclone:warmPools=true`). */
export const WARM_POOLS_CONTEXT = 'instaclone:warmPools';

/** How often the reconciler looks for jobs stuck in QUEUED or RUNNING. */
export const RECONCILER_RATE = Duration.minutes(5);
/** How often the reaper looks for expired leases. */
export const REAPER_RATE = Duration.minutes(15);
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
    const entry = (folder: string) => join(props.functionsDir ?? FUNCTIONS_DIR, folder, 'handler.ts');
    // Validated against RetentionDays' values by the stage schema.
    const logRetention = config.logRetentionDays as RetentionDays;
    const shared = { stateful, logRetention };
    const vcenterUrl = new URL(config.vcenter.url);

    const network = new WorkerNetwork(this, 'WorkerNetwork', {
      network: config.network,
      vcenterCidr: config.vcenter.cidr,
      vcenterPort: Number(vcenterUrl.port || 443),
    });
    this.worker = new CloneWorker(this, 'CloneWorker', {
      ...shared,
      entry: entry(FUNCTION_FOLDERS.worker),
      config,
      network,
    });
    this.api = new CloneApi(this, 'CloneApi', { ...shared, entry: entry(FUNCTION_FOLDERS.api), config });

    const { features, logLevel } = config;
    if (props.warmPools ?? [true, 'true'].includes(this.node.tryGetContext(WARM_POOLS_CONTEXT))) {
      this.pools = new WarmPools(this, 'WarmPools', {
        ...shared,
        logLevel,
        apiEntry: entry(FUNCTION_FOLDERS.poolApi),
        scalerEntry: entry(FUNCTION_FOLDERS.poolScaler),
        httpApi: this.api.api,
        maxConcurrency: config.vcenter.maxConcurrency,
      });
    }
    const reconciler = features.reconciler
      ? new ScheduledFunction(this, 'Reconciler', {
          ...shared,
          logLevel,
          entry: entry(FUNCTION_FOLDERS.reconciler),
          serviceName: 'instaclone-reconciler',
          description: 'instaclone reconciler: re-drives jobs stuck in QUEUED or RUNNING',
          rate: RECONCILER_RATE,
        })
      : undefined;
    const reaper = features.reaper
      ? new ScheduledFunction(this, 'Reaper', {
          ...shared,
          logLevel,
          entry: entry(FUNCTION_FOLDERS.reaper),
          serviceName: 'instaclone-reaper',
          description: 'instaclone reaper: destroys clones whose lease expired and idle GitHub runner clones',
          rate: REAPER_RATE,
          timeout: REAPER_TIMEOUT,
        })
      : undefined;
    // With warm pools, the reaper announces claims whose lease ran out (`Pool Released`, reason `lease expired`).
    if (reaper && this.pools) {
      reaper.nodeFunction.function.addEnvironment(ENV.EVENT_BUS_NAME, stateful.eventBus.eventBusName);
      stateful.eventBus.grantPutEventsTo(reaper.nodeFunction.role);
    }
    const callbackNotifier = features.callbackNotifier
      ? new CallbackNotifier(this, 'CallbackNotifier', {
          ...shared,
          logLevel,
          entry: entry(FUNCTION_FOLDERS.callbackNotifier),
        })
      : undefined;
    // Issue 9: signed hooks, Slack outcomes, GitHub runner clones (validated together by the stage schema).
    const hooks = features.hooks
      ? new HooksFunction(this, 'Hooks', {
          ...shared,
          logLevel,
          entry: entry(FUNCTION_FOLDERS.hooks),
          httpApi: this.api.api,
          github: config.github,
        })
      : undefined;
    const slackNotifier = features.slackNotifier
      ? new SlackNotifier(this, 'SlackNotifier', { ...shared, logLevel, entry: entry(FUNCTION_FOLDERS.slackNotifier) })
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
