import { describe, expect, it } from 'vitest';
import { buildDeps, configSchema, makeHandler } from '#functions/hooks/make-handler';
import { loadConfig } from '#shared/config/load-config';
import { ConfigError } from '#shared/errors/app-error';

/** A hooks function whose runner pool is served from a warm pool: its claims read the spare's VM in vCenter. */
const warmRunnersEnv = {
  AWS_REGION: 'us-east-1',
  JOBS_TABLE_NAME: 'jobs',
  CLONE_QUEUE_URL: 'http://127.0.0.1:9/queue/clones',
  EVENT_BUS_NAME: 'instaclone',
  GITHUB_WEBHOOK_SECRET: 'x'.repeat(32),
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  GITHUB_RUNNER_POOLS: JSON.stringify({
    version: '1',
    pools: [
      {
        name: 'linux',
        labels: ['self-hosted'],
        source: { path: '/DC0/vm/golden' },
        organizations: ['octo-org'],
        warmPool: 'runners',
      },
    ],
  }),
};

const start = (env: Record<string, string>) => () => makeHandler(buildDeps(loadConfig(configSchema, env)));

describe('Hooks function with warm runners: vCenter settings at cold start', () => {
  it('refuses to start without them, naming VCENTER_URL, rather than hand out spares it cannot check', () => {
    // Act
    const cold = start(warmRunnersEnv);
    // Assess
    expect(cold).toThrow(ConfigError);
    expect(cold).toThrow(/VCENTER_URL is required/);
  });

  it('starts with them (nothing is called until a claim)', () => {
    // Prepare
    const env = { ...warmRunnersEnv, VCENTER_URL: 'https://vcenter.example.com/sdk', VCENTER_SECRET_ARN: 'arn:x' };
    // Act
    const cold = start(env);
    // Assess
    expect(cold).not.toThrow();
  });

  it('needs none of them without a warm pool', () => {
    // Prepare
    const pools = JSON.parse(warmRunnersEnv.GITHUB_RUNNER_POOLS) as { pools: Array<Record<string, unknown>> };
    const cold = { ...pools, pools: pools.pools.map(({ warmPool: _, ...pool }) => pool) };
    // Act
    const started = start({ ...warmRunnersEnv, GITHUB_RUNNER_POOLS: JSON.stringify(cold) });
    // Assess
    expect(started).not.toThrow();
  });
});
