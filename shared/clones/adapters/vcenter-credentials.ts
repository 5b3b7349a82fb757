import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { WorkerConfig } from '../../config/service-config.js';

export type VcenterCredentials = { username: string; password: string };
export type CredentialsProvider = (options?: { refresh?: boolean }) => Promise<VcenterCredentials>;

/** JSON.parse quotes the input in its error message; a secret must never reach a log that way. */
const parseQuietly = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const SECRET_MAX_AGE_MS = 5 * 60_000;

const SecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/**
 * vCenter credentials: from env locally, from a Secrets Manager secret (`{"username","password"}`) on AWS.
 * The secret is cached and re-read when the caller asks for a refresh or after five minutes, so a rotated
 * password is picked up by the next login (the vim25 client asks at every login, e.g. after InvalidLogin). The password never leaves this closure except to the login call.
 */
export const vcenterCredentials = (
  config: Partial<Pick<WorkerConfig, 'VCENTER_SECRET_ARN' | 'VCENTER_USERNAME' | 'VCENTER_PASSWORD'>>,
  secrets?: () => SecretsManagerClient,
): CredentialsProvider => {
  if (!config.VCENTER_SECRET_ARN) {
    const fixed = { username: config.VCENTER_USERNAME ?? '', password: config.VCENTER_PASSWORD ?? '' };
    return async () => fixed;
  }
  const secretId = config.VCENTER_SECRET_ARN;
  let cached: Promise<VcenterCredentials> | undefined;
  let readAt = 0;
  const read = async (): Promise<VcenterCredentials> => {
    if (!secrets) throw new Error('VCENTER_SECRET_ARN is set but no Secrets Manager client was given');
    const { SecretString } = await secrets().send(new GetSecretValueCommand({ SecretId: secretId }));
    const parsed = SecretSchema.safeParse(parseQuietly(SecretString ?? ''));
    if (!parsed.success) throw new Error(`Secret ${secretId} must be JSON {"username","password"}`);
    return parsed.data;
  };
  return (options) => {
    if (!cached || options?.refresh || Date.now() - readAt > SECRET_MAX_AGE_MS) {
      readAt = Date.now();
      cached = read();
      cached.catch(() => {
        cached = undefined;
      });
    }
    return cached;
  };
};
