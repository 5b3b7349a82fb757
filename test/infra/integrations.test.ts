import { describe, expect, it } from 'vitest';
import { CALLBACK_NOTIFIER_TIMEOUT, worstCaseDeliveryMs } from '#infra/constructs/callback-notifier';
import { HOOKS_TIMEOUT } from '#infra/constructs/hooks-function';
import { INTEGRATION_SECRETS, integrationSecretName } from '#infra/constructs/integration-secrets';
import { NOTIFIER_ASYNC_RETRIES } from '#infra/constructs/notification-dead-letter-queue';
import { SLACK_RESPONSE_ORIGINS } from '#infra/constructs/slack-notifier';
import { REAPER_TIMEOUT } from '#infra/stacks/service-stack';
import { githubApiPort, runnerPoolsEnv } from '#infra/stage-config';
import { routesOf } from '#shared/composition/service-manifest';
import { ENV } from '#shared/config/env-keys';
import { WorkerConfigSchema } from '#shared/config/service-config';
import { EVENT_RULES } from '#shared/events/event-rules';
import { HooksConfigSchema } from '#shared/hooks/config';
import { CallbackNotifierConfigSchema, SlackNotifierConfigSchema } from '#shared/notifications/config';
import { RunnerWorkerConfigSchema } from '#shared/runners/config';
import { parseRunnerPools } from '#shared/runners/model/runner-pools';
import { GITHUB_EGRESS, GITHUB_RUNNERS } from './helpers/github-stage.js';
import { devStageWith, renderValue, resourcesOfType, synthStage } from './helpers/stage-app.js';

// Issue 9 wiring: hooks function, callback and Slack notifiers, GitHub runners in vpc-endpoints mode with egress.
const config = devStageWith({
  features: { reconciler: false, reaper: true, callbackNotifier: true, hooks: true, slackNotifier: true },
  github: { ...GITHUB_RUNNERS, egress: GITHUB_EGRESS },
});
const { serviceTemplate: template, statefulTemplate } = synthStage(config);
const functions = resourcesOfType(template, 'AWS::Lambda::Function');
const fn = (prefix: string) => functions.find(([id]) => id.startsWith(prefix))?.[1] ?? {};
const hooks = fn('HooksHandler');
const callbackNotifier = fn('CallbackNotifierHandler');
const slackNotifier = fn('SlackNotifierHandler');
const reaper = fn('ReaperHandler');
const worker = fn('CloneWorker');
/** A function's environment with intrinsic values rendered (`import(…)`), as the handler's config would see it. */
const envOf = (f: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries((f['Environment'] as { Variables: Record<string, unknown> }).Variables).map(([k, v]) => [
      k,
      renderValue(v),
    ]),
  );
/** Env the NodeFunction sets on every function. */
const POWERTOOLS_KEYS = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  'NODE_OPTIONS',
];
const ownEnv = (f: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(envOf(f)).filter(([key]) => !POWERTOOLS_KEYS.includes(key)));
const eventRule = (targetPrefix: string) =>
  resourcesOfType(template, 'AWS::Events::Rule').find(([, rule]) =>
    renderValue((rule['Targets'] as { Arn: unknown }[])[0]?.Arn).startsWith(targetPrefix),
  )?.[1] ?? {};

describe('Integrations infrastructure (hooks, notifiers, GitHub runners)', () => {
  it('serves each hook route without gateway auth from the hooks function, and keeps IAM on the clone routes', () => {
    // Prepare
    const integrations = Object.fromEntries(
      resourcesOfType(template, 'AWS::ApiGatewayV2::Integration').map(([id, integration]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        renderValue(integration['IntegrationUri']),
      ]),
    );

    // Act
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => ({
      key: route['RouteKey'] as string,
      auth: route['AuthorizationType'],
      target: integrations[renderValue(route['Target']).replace(/^integrations\/ref\((.*)\)$/, '$1')] ?? '',
    }));

    // Assess
    const hookRoutes = routes.filter((route) => route.target.startsWith('HooksHandlerFunction'));
    expect(hookRoutes.map((route) => [route.key, route.auth]).sort()).toEqual(
      routesOf('hooks')
        .map((route) => [route.routeKey, 'NONE'])
        .sort(),
    );
    const cloneRoutes = routes.filter((route) => route.key.includes('/v1/clones'));
    expect(cloneRoutes).toHaveLength(4);
    for (const route of cloneRoutes)
      expect(route).toMatchObject({ auth: 'AWS_IAM', target: 'CloneApiHandlerFunction.Arn' });
    expect(routes.map((route) => route.key)).not.toContainEqual(expect.stringMatching(/webhooks|\{provider\}/));
  });

  it('gives the hooks function the table, queue, its three secret ARNs and the runner pools', () => {
    // Assess
    expect(hooks).toMatchObject({ Timeout: HOOKS_TIMEOUT.toSeconds() });
    expect(ownEnv(hooks)).toEqual({
      [ENV.JOBS_TABLE_NAME]: 'import(JobTable)',
      [ENV.CLONE_QUEUE_URL]: 'import(CloneQueue)',
      GENERIC_HOOK_SECRET_ARN: 'import(IntegrationSecretsGenericHook)',
      GITHUB_WEBHOOK_SECRET_ARN: 'import(IntegrationSecretsGithubWebhook)',
      SLACK_SIGNING_SECRET_ARN: 'import(IntegrationSecretsSlackSigning)',
      GITHUB_RUNNER_POOLS: runnerPoolsEnv(config.github),
    });
    expect(envOf(hooks)['POWERTOOLS_SERVICE_NAME']).toBe('instaclone-hooks');
    // The handler's own schema and parser accept what infra sets.
    expect(HooksConfigSchema.safeParse(envOf(hooks)).success).toBe(true);
    expect(parseRunnerPools(envOf(hooks)['GITHUB_RUNNER_POOLS']).pools.map((pool) => pool.name)).toEqual(['linux']);
  });

  it('lets the hooks function claim warm spares (Query, PutEvents, bus, vCenter) only when a runner pool has a warmPool', () => {
    // Prepare
    const warm = devStageWith({
      features: { reconciler: false, reaper: true, callbackNotifier: false, hooks: true, slackNotifier: false },
      github: {
        ...GITHUB_RUNNERS,
        egress: GITHUB_EGRESS,
        runnerPools: [{ ...GITHUB_RUNNERS.runnerPools[0], warmPool: 'linux-runners' }],
      },
    });
    const hooksRole = (t: typeof template) =>
      resourcesOfType(t, 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith('HooksHandlerRole'))
        .flatMap(([, policy]) => (policy['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement)
        .flatMap((statement) => [statement.Action].flat());
    // Act
    const warmTemplate = synthStage(warm).serviceTemplate;
    const warmHooks = resourcesOfType(warmTemplate, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('HooksHandler'),
    )?.[1];
    // Assess
    expect(hooksRole(warmTemplate)).toEqual(expect.arrayContaining(['dynamodb:Query', 'events:PutEvents']));
    expect(ownEnv(warmHooks ?? {})[ENV.EVENT_BUS_NAME]).toBe('import(EventBus)');
    // A warm claim reads the job id on the spare's VM: the hooks function runs next to vCenter, as the worker does.
    expect(ownEnv(warmHooks ?? {})[ENV.VCENTER_URL]).toBe(warm.vcenter.url);
    expect(renderValue(warmHooks?.['VpcConfig'])).toEqual(renderValue(worker['VpcConfig']));
    expect(hooks['VpcConfig']).toBeUndefined();
    expect(ownEnv(hooks)[ENV.VCENTER_URL]).toBeUndefined();
    expect(hooksRole(template)).not.toContain('dynamodb:Query');
    expect(hooksRole(template)).not.toContain('events:PutEvents');
    expect(ownEnv(hooks)[ENV.EVENT_BUS_NAME]).toBeUndefined();
  });

  it('sends both notifiers’ failed events to the notification DLQ after Lambda’s retries', () => {
    // Act
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').map(([, config]) => ({
      fn: renderValue(config['FunctionName']),
      retries: config['MaximumRetryAttempts'],
      onFailure: renderValue(
        (config['DestinationConfig'] as { OnFailure: { Destination: unknown } }).OnFailure.Destination,
      ),
    }));
    // Assess
    expect(configs).toHaveLength(2);
    expect(configs.map((c) => c.fn).sort()).toEqual([
      expect.stringMatching(/^ref\(CallbackNotifierHandler/),
      expect.stringMatching(/^ref\(SlackNotifierHandler/),
    ]);
    for (const config of configs) {
      expect(config).toMatchObject({
        retries: NOTIFIER_ASYNC_RETRIES,
        onFailure: 'import(NotificationDeadLetterQueueArn)',
      });
    }
  });

  it('gives the callback notifier the job table, its signing secret, delivery bounds and a timeout that fits every retry', () => {
    // Prepare
    const env = ownEnv(callbackNotifier);

    // Assess
    expect(env).toEqual({
      [ENV.JOBS_TABLE_NAME]: 'import(JobTable)',
      CALLBACK_SIGNING_SECRET_ARN: 'import(IntegrationSecretsCallbackSigning)',
      CALLBACK_TIMEOUT_MS: '5000',
      CALLBACK_MAX_ATTEMPTS: '4',
    });
    expect(CallbackNotifierConfigSchema.safeParse(env).success).toBe(true);
    expect(callbackNotifier['Timeout']).toBe(CALLBACK_NOTIFIER_TIMEOUT.toSeconds());
    expect(callbackNotifier['Timeout']).toBeGreaterThanOrEqual(60);
    expect(worstCaseDeliveryMs(4, 5_000)).toBeLessThan(CALLBACK_NOTIFIER_TIMEOUT.toMilliseconds());
  });

  it('lets the Slack notifier post only to Slack', () => {
    // Prepare
    const env = ownEnv(slackNotifier);

    // Assess
    expect(env).toEqual({ SLACK_RESPONSE_ORIGINS: SLACK_RESPONSE_ORIGINS });
    expect(SlackNotifierConfigSchema.parse(env).SLACK_RESPONSE_ORIGINS).toEqual(['https://hooks.slack.com']);
  });

  it('routes bus events to the notifiers with the shared callbackWanted and slackWanted patterns', () => {
    // Prepare
    const callbackRule = eventRule('CallbackNotifierHandlerFunction');
    const slackRule = eventRule('SlackNotifierHandlerFunction');

    // Assess
    expect(callbackRule['EventPattern']).toEqual(EVENT_RULES.callbackWanted);
    expect(slackRule['EventPattern']).toEqual(EVENT_RULES.slackWanted);
    for (const rule of [callbackRule, slackRule]) expect(renderValue(rule['EventBusName'])).toBe('import(EventBus)');
    expect(callbackRule['Targets']).toEqual([
      expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 } }),
    ]);
    expect(slackRule['Targets']).toEqual([
      expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 } }),
    ]);
  });

  it('keeps every function but the two that talk to vCenter (worker, status) outside the VPC', () => {
    // Act
    const inVpc = functions.filter(([, f]) => f['VpcConfig'] !== undefined).map(([id]) => id);

    // Assess
    expect(functions).toHaveLength(8);
    expect(inVpc.sort()).toEqual([
      expect.stringMatching(/^CloneWorkerFunction/),
      expect.stringMatching(/^StatusApiHandlerFunction/),
    ]);
  });

  it('gives the worker and the reaper the GitHub App settings, and no other function', () => {
    // Prepare
    const github = {
      GITHUB_RUNNER_POOLS: runnerPoolsEnv(config.github),
      GITHUB_APP_ID: GITHUB_RUNNERS.appId,
      GITHUB_APP_PRIVATE_KEY_ARN: 'import(IntegrationSecretsGithubAppPrivateKey)',
      GITHUB_API_URL: 'https://api.github.com',
    };

    // Assess
    for (const f of [worker, reaper]) {
      expect(envOf(f)).toMatchObject(github);
      expect(RunnerWorkerConfigSchema.parse(envOf(f))).toMatchObject({ GITHUB_APP_ID: GITHUB_RUNNERS.appId });
    }
    expect(WorkerConfigSchema.safeParse(envOf(worker)).success).toBe(true);
    expect(reaper['Timeout']).toBe(REAPER_TIMEOUT.toSeconds());
    const others = [hooks, callbackNotifier, slackNotifier, fn('CloneApiHandler')];
    for (const f of others) expect(Object.keys(envOf(f))).not.toContain('GITHUB_APP_PRIVATE_KEY_ARN');
  });

  it('opens the worker HTTPS egress to the stage GitHub CIDRs and prefix lists in vpc-endpoints mode', () => {
    // Act
    const [[, group] = []] = resourcesOfType(template, 'AWS::EC2::SecurityGroup').filter(([id]) =>
      id.startsWith('WorkerNetworkWorkerSecurityGroup'),
    );
    const extraEgress = resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress')
      .filter(([, rule]) => renderValue(rule['GroupId']) === 'WorkerNetworkWorkerSecurityGroup.GroupId')
      .map(([, rule]) => ({ ...rule, GroupId: undefined }));

    // Assess
    const port = githubApiPort(config.github);
    const github = {
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      Description: 'GitHub API (api.github.com) for runner JIT configs',
    };
    expect(group?.['SecurityGroupEgress']).toEqual([
      expect.objectContaining({ CidrIp: config.vcenter.cidr, Description: 'vCenter SDK' }),
      { ...github, CidrIp: GITHUB_EGRESS.cidrs[0] },
    ]);
    expect(extraEgress).toEqual([
      expect.objectContaining({ Description: 'AWS interface endpoints' }),
      expect.objectContaining({ Description: 'DynamoDB gateway endpoint' }),
      { ...github, GroupId: undefined, DestinationPrefixListId: GITHUB_EGRESS.prefixListIds[0] },
    ]);
    // Still nothing to anywhere: the worker reaches GitHub only through the stage's ranges.
    expect(JSON.stringify([group, extraEgress])).not.toContain('0.0.0.0/0');
  });

  it('creates every integration secret retained, named by stage, with a generated value and no credential', () => {
    // Act
    const keys = Object.keys(INTEGRATION_SECRETS) as (keyof typeof INTEGRATION_SECRETS)[];
    const names = keys.map((key) => integrationSecretName(config.stage, key));
    const secrets = Object.values(statefulTemplate.findResources('AWS::SecretsManager::Secret')).filter((secret) =>
      names.includes((secret as { Properties: { Name: string } }).Properties.Name),
    );

    // Assess
    expect(secrets).toHaveLength(5);
    expect(Object.keys(statefulTemplate.findResources('AWS::SecretsManager::Secret'))).toHaveLength(6);
    expect(integrationSecretName('dev', 'githubAppPrivateKey')).toBe('instaclone/dev/github-app-private-key');
    for (const secret of secrets) {
      expect(secret).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      });
      expect((secret as { Properties: Record<string, unknown> }).Properties['SecretString']).toBeUndefined();
    }
  });
});
