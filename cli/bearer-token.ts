import { readFileSync } from 'node:fs';
import { UsageError } from './clone-flags.js';

/** Where the CLI's bearer token comes from: flags first, then the environment. */
export type BearerSources = {
  token?: string | undefined;
  oidcTokenFile?: string | undefined;
  env: Record<string, string | undefined>;
};

/** A compact JWS: three base64url parts (the API decides whether it is a token it trusts). */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

const readTokenFile = (path: string, read: (p: string) => string): string => {
  let text: string;
  try {
    text = read(path).trim();
  } catch (err) {
    throw new UsageError(`--oidc-token-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!JWT_SHAPE.test(text)) throw new UsageError(`--oidc-token-file ${path} does not hold a JWT (header.payload.sig)`);
  return text;
};

/**
 * The bearer token to send, or undefined for none. In order: `--token`, `--oidc-token-file` (read before every
 * request, so a file the CI platform refreshes stays valid through a long `--wait`), `INSTACLONE_OIDC_TOKEN`,
 * `INSTACLONE_API_TOKEN`. `--token` with `--oidc-token-file` is a UsageError, as is a file that is missing or holds
 * no JWT (checked once here, so a typo fails before anything is sent).
 */
export const bearerToken = (
  sources: BearerSources,
  read = (p: string) => readFileSync(p, 'utf8'),
): string | (() => string) | undefined => {
  if (sources.token !== undefined && sources.oidcTokenFile !== undefined) {
    throw new UsageError('give --token or --oidc-token-file, not both');
  }
  if (sources.token !== undefined) return sources.token;
  const file = sources.oidcTokenFile;
  if (file !== undefined) {
    readTokenFile(file, read);
    return () => readTokenFile(file, read);
  }
  const oidc = sources.env.INSTACLONE_OIDC_TOKEN?.trim();
  if (oidc) return oidc;
  return sources.env.INSTACLONE_API_TOKEN || undefined;
};
