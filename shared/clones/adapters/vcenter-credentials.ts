import * as z from 'zod';
import type { SecretProvider } from '../../aws/secret-provider.js';

export type VcenterCredentials = { username: string; password: string };
export type CredentialsProvider = () => Promise<VcenterCredentials>;

/** JSON.parse quotes the input in its error message; a secret must never reach a log that way. */
const parseQuietly = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const SecretSchema = z.object({ username: z.string().min(1), password: z.string().min(1) });

/**
 * vCenter credentials: the given ones (local runs), or a secret holding `{"username","password"}` (AWS), read
 * through its provider at every login (the provider keeps it for five minutes, so a rotated password is picked up
 * by a later login). Rejects, without quoting the secret, when it is not that JSON. The password never leaves this
 * closure except to the login call.
 */
export const vcenterCredentials = (source: VcenterCredentials | SecretProvider): CredentialsProvider => {
  if (typeof source !== 'function') return async () => source;
  return async () => {
    const parsed = SecretSchema.safeParse(parseQuietly(await source()));
    if (!parsed.success) throw new Error('The vCenter secret must be JSON {"username","password"}');
    return parsed.data;
  };
};
