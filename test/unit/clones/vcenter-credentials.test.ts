import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { vcenterCredentials } from '#shared/clones/adapters/vcenter-credentials';
import { WorkerConfigSchema } from '#shared/config/service-config';

const baseEnv = {
  JOBS_TABLE_NAME: 't',
  EVENT_BUS_NAME: 'b',
  CLONE_QUEUE_URL: 'q',
  VCENTER_URL: 'https://vc.example.com/sdk',
};

/** A Secrets Manager stand-in: only the client's `send` is used by the adapter. */
const secrets = (answers: string[]) => {
  const calls: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      calls.push(command);
      return { SecretString: answers[Math.min(calls.length - 1, answers.length - 1)] };
    },
  } as unknown as SecretsManagerClient;
  return { client, calls };
};

describe('Adapter: vCenter credentials', () => {
  it('uses the env credentials locally', async () => {
    // Prepare
    const config = WorkerConfigSchema.parse({ ...baseEnv, VCENTER_USERNAME: 'u', VCENTER_PASSWORD: 'p' });
    // Act
    const creds = await vcenterCredentials(config)();
    // Assess
    expect(creds).toEqual({ username: 'u', password: 'p' });
  });

  it('reads the secret once, caches it and re-reads it on refresh', async () => {
    // Prepare
    const { client, calls } = secrets(['{"username":"u","password":"old"}', '{"username":"u","password":"new"}']);
    const config = WorkerConfigSchema.parse({ ...baseEnv, VCENTER_SECRET_ARN: 'arn:secret' });
    const provider = vcenterCredentials(config, () => client);
    // Act
    const first = await provider();
    const cached = await provider();
    const refreshed = await provider({ refresh: true });
    // Assess
    expect([first.password, cached.password, refreshed.password]).toEqual(['old', 'old', 'new']);
    expect(calls).toHaveLength(2);
  });

  it('rejects a malformed secret without quoting it', async () => {
    // Prepare
    const { client } = secrets(['not json: hunter2']);
    const config = WorkerConfigSchema.parse({ ...baseEnv, VCENTER_SECRET_ARN: 'arn:secret' });
    // Act
    const attempt = vcenterCredentials(config, () => client)();
    // Assess
    await expect(attempt).rejects.toThrow('must be JSON');
    await expect(attempt).rejects.not.toThrow('hunter2');
  });

  it('refuses a worker config with neither a secret nor env credentials, naming the key', () => {
    // Act
    const result = WorkerConfigSchema.safeParse(baseEnv);
    // Assess
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('VCENTER_SECRET_ARN');
  });
});
