import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '#infra/load-stage-config';
import { parseStageConfig, StageConfigError } from '#infra/stage-config';
import { DEFAULT_VCENTER_MAX_CONCURRENCY, WORKER_TIMEOUT_SECONDS } from '#shared/config/resources';
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
    const { worker: _w, alarms: _a, features: _f, logRetentionDays: _l, ...raw } = rawDevStage();
    const { maxConcurrency: _m, ...vcenter } = vcenterOf(raw);

    // Act
    const config = parseStageConfig({ ...raw, vcenter }, 'test');

    // Assess
    expect(config.worker.timeoutSeconds).toBe(WORKER_TIMEOUT_SECONDS);
    expect(config.vcenter.maxConcurrency).toBe(DEFAULT_VCENTER_MAX_CONCURRENCY);
    expect(config.logRetentionDays).toBe(30);
    expect(config.alarms.oldestMessageAgeSeconds).toBe(900);
    expect(Object.values(config.features)).toEqual([false, false, false, false]);
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
