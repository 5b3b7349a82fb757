import { describe, expect, it } from 'vitest';
import { makeSecretProvider } from '#shared/aws/secret-provider';
import { isPublicAddress } from '#shared/notifications/model/address-policy';

describe('Secret provider', () => {
  it('reads a Secrets Manager secret once per TTL and again after it', async () => {
    // Prepare
    let reads = 0;
    let now = 0;
    const client = { send: async () => ({ SecretString: `value-${++reads}` }) };
    const secret = makeSecretProvider(
      { name: 'X', secretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' },
      { secrets: () => client as never, now: () => now, ttlMs: 1_000 },
    );
    // Act
    const first = [await secret(), await secret()];
    now = 1_001;
    const later = await secret();
    // Assess
    expect(first).toEqual(['value-1', 'value-1']);
    expect(later).toBe('value-2');
  });

  it('does not cache a failed read, and never puts the secret text in its error', async () => {
    // Prepare
    let calls = 0;
    const client = {
      send: async () => {
        calls++;
        if (calls === 1) throw new Error('throttled');
        return { SecretString: 'not-json-secret' };
      },
    };
    const secret = makeSecretProvider({ name: 'X', secretId: 'x', field: 'key' }, { secrets: () => client as never });
    // Act
    const failed = await secret().catch((e: unknown) => e);
    const malformed = await secret().catch((e: unknown) => e);
    // Assess
    expect(failed).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: true });
    expect(malformed).toMatchObject({ code: 'SECRET_UNAVAILABLE', retryable: false });
    expect(String((malformed as Error).message)).not.toContain('not-json-secret');
  });
});

describe('Address policy (SSRF)', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not-an-ip', false],
  ])('%s is public: %s', (address, expected) => {
    // Act + Assess
    expect(isPublicAddress(address)).toBe(expected);
  });
});
