import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CREDENTIALS } from '#local/local-aws';
import { makeSecretProvider, makeSecretsProvider, SECRET_MAX_AGE_SECONDS } from '#shared/aws/secret-provider';
import { vcenterCredentials } from '#shared/clones/adapters/vcenter-credentials';
import { type Reply, startLoopbackServer } from '../../support/loopback-server.js';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:instaclone/x';
const secretString = (text: string): Reply => ({
  status: 200,
  body: { ARN: SECRET_ARN, Name: 'x', SecretString: text },
});

/** A Secrets Manager stand-in answering GetSecretValue from a script, one answer per request. */
let answers: Reply[] = [];
let secretsManager: Awaited<ReturnType<typeof startLoopbackServer>>;
const reads = () =>
  secretsManager.requests.filter((r) => r.headers['x-amz-target'] === 'secretsmanager.GetSecretValue');

/** A secret read through Powertools Parameters and a real SDK client, as a deployed function reads it. */
const deployedSecret = () => {
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: secretsManager.url,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const provider = makeSecretsProvider(client);
  return makeSecretProvider({ name: 'X', secretId: SECRET_ARN }, () => provider);
};

beforeAll(async () => {
  secretsManager = await startLoopbackServer((_, n) => answers[n] ?? secretString('unscripted'));
});
afterEach(() => {
  vi.useRealTimers();
  secretsManager.requests.length = 0;
});
afterAll(() => secretsManager?.close());

describe('Secrets through Powertools Parameters', () => {
  it('reads a secret once, keeps it five minutes, and reads it again after', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-01T12:00:00Z') });
    answers = [secretString('value-1'), secretString('value-2')];
    const secret = deployedSecret();
    // Act
    const first = [await secret(), await secret()];
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS + 1) * 1000);
    const later = await secret();
    // Assess
    expect(first).toEqual(['value-1', 'value-1']);
    expect(later).toBe('value-2');
    expect(reads()).toHaveLength(2);
    expect(reads()[0]?.body).toContain(SECRET_ARN);
  });

  it('keeps no failed read: a retryable error first, the value on the next use', async () => {
    // Prepare
    answers = [{ status: 500, body: { __type: 'InternalServiceError', message: 'try again' } }, secretString('v')];
    const secret = deployedSecret();
    // Act
    const failed = await secret().catch((e: unknown) => e);
    const value = await secret();
    // Assess
    expect(failed).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: true });
    expect(value).toBe('v');
  });

  it('never puts a malformed vCenter secret into its error', async () => {
    // Prepare
    answers = [secretString('not json: hunter2')];
    // Act
    const failed = await vcenterCredentials(deployedSecret())().catch((e: unknown) => e);
    // Assess
    expect(String(failed)).toContain('must be JSON');
    expect(String(failed)).not.toContain('hunter2');
  });

  it('uses an explicit value without Secrets Manager, and refuses a secret configured neither way', async () => {
    // Prepare
    const noProvider = () => {
      throw new Error('Secrets Manager must not be used');
    };
    // Act
    const local = await makeSecretProvider({ name: 'X', value: 'local-value' }, noProvider)();
    const missing = await makeSecretProvider({ name: 'X' }, noProvider)().catch((e: unknown) => e);
    // Assess
    expect(local).toBe('local-value');
    expect(missing).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: false });
    expect(reads()).toHaveLength(0);
  });
});
