import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '#infra/load-stage-config';
import { GITHUB_API_URL, parseStageConfig, RUNNER_POOLS_ENV_MAX_CHARS, StageConfigError } from '#infra/stage-config';
import { DEFAULT_VCENTER_MAX_CONCURRENCY, WORKER_TIMEOUT_SECONDS } from '#shared/config/resources';
import { GITHUB_EGRESS, GITHUB_RUNNERS } from './helpers/github-stage.js';
import { rawDevStage } from './helpers/stage-app.js';

const vcenterOf = (raw: Record<string, unknown>) => raw['vcenter'] as Record<string, unknown>;
const networkOf = (raw: Record<string, unknown>) => raw['network'] as Record<string, unknown>;

/** The error message parseStageConfig throws for `raw`, or a failure if it accepts it. */
function rejection(raw: unknown): string {
  try {
    parseStageConfig(raw, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(StageConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the stage config to be rejected');
}

describe('Stage config', () => {
  it('accepts the committed dev stage file', () => {
    // Prepare
    const raw = rawDevStage();

    // Act
    const config = parseStageConfig(raw, 'dev.json');

    // Assess
    expect(config.stage).toBe('dev');
    expect(config.network.awsApiAccess).toEqual({ mode: 'vpc-endpoints', dynamoDbPrefixListId: 'pl-6fa54006' });
    expect(config.vcenter).toMatchObject({ insecure: false, maxConcurrency: 8 });
    expect(config.features.reconciler).toBe(true);
  });

  it('fills optional sections with the shared defaults', () => {
    // Prepare
    const { worker: _w, alarms: _a, features: _f, logRetentionDays: _l, github: _g, ...raw } = rawDevStage();
    const { maxConcurrency: _m, ...vcenter } = vcenterOf(raw);

    // Act
    const config = parseStageConfig({ ...raw, vcenter }, 'test');

    // Assess
    expect(config.worker.timeoutSeconds).toBe(WORKER_TIMEOUT_SECONDS);
    expect(config.vcenter.maxConcurrency).toBe(DEFAULT_VCENTER_MAX_CONCURRENCY);
    expect(config.logRetentionDays).toBe(30);
    expect(config.alarms.oldestMessageAgeSeconds).toBe(900);
    expect(config.features).toEqual({
      reconciler: false,
      reaper: false,
      callbackNotifier: false,
      hooks: false,
      slackNotifier: false,
    });
    expect(config.github).toEqual({ enabled: false, apiUrl: GITHUB_API_URL, runnerPools: [] });
  });

  it('names every missing key in one error', () => {
    // Prepare
    const raw = rawDevStage();
    const { url: _url, ...vcenter } = vcenterOf(raw);
    const { vpcId: _vpc, ...network } = networkOf(raw);

    // Act
    const message = rejection({ ...raw, vcenter, network });

    // Assess
    expect(message).toContain('vcenter.url');
    expect(message).toContain('network.vpcId');
  });

  it.each([
    ['vcenter.cidr', { vcenter: { cidr: '10.20.0.0/33' } }],
    ['vcenter.url', { vcenter: { url: 'http://vcenter.lab.example.internal/sdk' } }],
    ['vcenter.maxConcurrency', { vcenter: { maxConcurrency: 1 } }],
    ['vcenter.caBundleFile', { vcenter: { caBundleFile: 'no/such/ca.pem' } }],
    ['vcenter.insecure', { vcenter: { insecure: true, caBundleFile: 'test/infra/fixtures/vcenter-ca.pem' } }],
    ['network.privateSubnetIds', { network: { privateSubnetIds: ['subnet-0a1b2c3d4e5f60001'] } }],
    ['network.awsApiAccess.dynamoDbPrefixListId', { network: { awsApiAccess: { mode: 'vpc-endpoints' } } }],
    ['logRetentionDays', { logRetentionDays: 42 }],
    ['worker.timeoutSeconds', { worker: { timeoutSeconds: 901 } }],
  ])('rejects an invalid %s, naming it', (key, patch) => {
    // Prepare
    const raw = rawDevStage();
    const merged = Object.fromEntries(
      Object.entries(patch).map(([section, values]) => [
        section,
        typeof values === 'object' ? { ...(raw[section] as object), ...values } : values,
      ]),
    );

    // Act
    const message = rejection({ ...raw, ...merged });

    // Assess
    expect(message).toContain(`- ${key}:`);
  });

  it('loads the stage file named by the stage context key, defaulting to dev', () => {
    // Prepare
    const app = new App();

    // Act
    const config = loadStageConfig(app.node);

    // Assess
    expect(config.stage).toBe('dev');
  });

  it('fails synth naming the stage when it has no settings file', () => {
    // Prepare
    const app = new App({ context: { stage: 'nope' } });

    // Act
    const load = () => loadStageConfig(app.node);

    // Assess
    expect(load).toThrow(/stages\/nope\.json/);
  });

  it('accepts the stage settings as a JSON string, as `-c stageConfig=…` passes them', () => {
    // Prepare
    const app = new App({ context: { stage: 'dev', stageConfig: JSON.stringify(rawDevStage()) } });

    // Act
    const config = loadStageConfig(app.node);

    // Assess
    expect(config.vcenter.secretName).toBe('instaclone/dev/vcenter');
  });

  it('prefers an inline stageConfig context object and checks it belongs to the stage', () => {
    // Prepare
    const app = new App({ context: { stage: 'prod', stageConfig: rawDevStage() } });

    // Act
    const load = () => loadStageConfig(app.node);

    // Assess
    expect(load).toThrow(/context key "stageConfig"[\s\S]*- stage: is "dev", expected "prod"/);
  });
});

describe('Stage config: integrations', () => {
  const withFeatures = { reconciler: true, reaper: true, callbackNotifier: true, hooks: true, slackNotifier: true };
  const natNetwork = () => ({ ...networkOf(rawDevStage()), awsApiAccess: { mode: 'nat' } });

  it('rejects the old features.signedRoutes key, naming its replacement', () => {
    // Act
    const message = rejection({ ...rawDevStage(), features: { signedRoutes: true } });

    // Assess
    expect(message).toContain('- features.signedRoutes: was replaced by features.hooks');
  });

  it('accepts GitHub runners in nat mode without egress, with the pools validated by the functions schema', () => {
    // Act
    const config = parseStageConfig(
      { ...rawDevStage(), network: natNetwork(), features: withFeatures, github: GITHUB_RUNNERS },
      'test',
    );

    // Assess
    expect(config.github).toMatchObject({ enabled: true, appId: '123456', apiUrl: GITHUB_API_URL });
    expect(config.github.runnerPools[0]).toMatchObject({ name: 'linux', scope: 'repo', idleMinutes: 15 });
  });

  it('accepts GitHub runners in vpc-endpoints mode with explicit egress', () => {
    // Act
    const config = parseStageConfig(
      { ...rawDevStage(), features: withFeatures, github: { ...GITHUB_RUNNERS, egress: GITHUB_EGRESS } },
      'test',
    );

    // Assess
    expect(config.github.egress).toEqual(GITHUB_EGRESS);
  });

  it('requires github.egress in vpc-endpoints mode, saying why and what to do', () => {
    // Act
    const message = rejection({ ...rawDevStage(), features: withFeatures, github: GITHUB_RUNNERS });

    // Assess
    expect(message).toContain('- github.egress: is required when github.enabled is true and');
    expect(message).toContain('"vpc-endpoints"');
    expect(message).toContain('Use network.awsApiAccess.mode "nat"');
  });

  it('requires github.egress in nat mode when the API is not on 443', () => {
    // Act
    const message = rejection({
      ...rawDevStage(),
      network: natNetwork(),
      features: withFeatures,
      github: { ...GITHUB_RUNNERS, apiUrl: 'https://ghe.example.internal:8443/api/v3' },
    });

    // Assess
    expect(message).toContain('- github.egress: is required');
    expect(message).toContain('not on port 443');
  });

  it('names every missing piece of an enabled GitHub section in one error', () => {
    // Act
    const message = rejection({ ...rawDevStage(), network: natNetwork(), github: { enabled: true } });

    // Assess
    expect(message).toContain('- github.appId: is required when github.enabled is true');
    expect(message).toContain('- github.runnerPools: needs at least one pool');
    expect(message).toContain('- features.hooks: must be true when github.enabled is true');
    expect(message).toContain('- features.reaper: must be true when github.enabled is true');
  });

  it.each([
    ['github.appId', { appId: 'my-app' }],
    ['github.apiUrl', { apiUrl: 'http://api.github.com' }],
    ['github.egress', { egress: { cidrs: [] } }],
    ['github.egress.cidrs.0', { egress: { cidrs: ['140.82.112.0/33'] } }],
    ['github.egress.prefixListIds.0', { egress: { prefixListIds: ['pl-nothex'] } }],
    ['github.runnerPools.0.name', { runnerPools: [{ ...GITHUB_RUNNERS.runnerPools[0], name: 'Linux Pool' }] }],
    ['github.runnerPools', { runnerPools: [GITHUB_RUNNERS.runnerPools[0], GITHUB_RUNNERS.runnerPools[0]] }],
  ])('rejects an invalid %s, naming it', (key, patch) => {
    // Act
    const message = rejection({
      ...rawDevStage(),
      network: natNetwork(),
      features: withFeatures,
      github: { ...GITHUB_RUNNERS, ...patch },
    });

    // Assess
    expect(message).toContain(`- ${key}:`);
  });

  it('rejects runner pools too large for a Lambda environment variable', () => {
    // Prepare
    const pool = GITHUB_RUNNERS.runnerPools[0];
    const runnerPools = Array.from({ length: 30 }, (_, i) => ({
      ...pool,
      name: `pool-${i}`,
      labels: ['x'.repeat(60)],
    }));

    // Act
    const message = rejection({
      ...rawDevStage(),
      network: natNetwork(),
      features: withFeatures,
      github: { ...GITHUB_RUNNERS, runnerPools },
    });

    // Assess
    expect(message).toMatch(
      new RegExp(`- github\\.runnerPools: is \\d+ characters as JSON, more than the ${RUNNER_POOLS_ENV_MAX_CHARS}`),
    );
  });
});
