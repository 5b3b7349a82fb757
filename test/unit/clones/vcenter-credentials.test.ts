import { describe, expect, it } from 'vitest';
import { vcenterCredentials } from '#shared/clones/adapters/vcenter-credentials';
import { WorkerConfigSchema } from '#shared/config/service-config';

const baseEnv = {
  JOBS_TABLE_NAME: 't',
  EVENT_BUS_NAME: 'b',
  CLONE_QUEUE_URL: 'q',
  VCENTER_URL: 'https://vc.example.com/sdk',
};

/** A secret provider that answers each read with the next text, counting reads. */
const secretOf = (...texts: string[]) => {
  let reads = 0;
  const provider = async () => texts[Math.min(reads++, texts.length - 1)] ?? '';
  return { provider, reads: () => reads };
};

describe('Adapter: vCenter credentials', () => {
  it('uses the given credentials locally', async () => {
    // Act
    const creds = await vcenterCredentials({ username: 'u', password: 'p' })();
    // Assess
    expect(creds).toEqual({ username: 'u', password: 'p' });
  });

  it('reads the secret at every login, so a rotated password reaches the next one', async () => {
    // Prepare
    const secret = secretOf('{"username":"u","password":"old"}', '{"username":"u","password":"new"}');
    const credentials = vcenterCredentials(secret.provider);
    // Act
    const first = await credentials();
    const second = await credentials();
    // Assess
    expect([first.password, second.password]).toEqual(['old', 'new']);
    expect(secret.reads()).toBe(2);
  });

  it('rejects a malformed secret without quoting it', async () => {
    // Act
    const attempt = vcenterCredentials(secretOf('not json: hunter2').provider)();
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
