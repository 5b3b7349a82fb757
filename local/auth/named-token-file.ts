import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { type Principal, tokenPrincipal } from '#shared/access/model/principal';
import type { NamedTokens } from '#shared/access/ports/credential-verifiers';
import { ConfigError } from '#shared/errors/app-error';
import { toFieldIssues } from '#shared/errors/field-issues';

export const TokenNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'token names are 1-64 lower-case letters, digits or "-"');

/** `<data dir>/tokens.json`, version 1: each named token by the SHA-256 of its value, never the value itself. */
export const TokenFileSchema = z
  .object({
    version: z.literal('1'),
    tokens: z.array(
      z.object({ name: TokenNameSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/), createdAt: z.string() }).strict(),
    ),
  })
  .strict();
export type TokenFile = z.infer<typeof TokenFileSchema>;

/**
 * Tokens are 32 random bytes, so an unsalted SHA-256 cannot be brute-forced: the file is safe to read, and a lookup
 * by hash reveals nothing through its timing.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const readTokenFile = async (path: string): Promise<TokenFile> => {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return { version: '1', tokens: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path}: not JSON`);
  }
  const parsed = TokenFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      `${path}: ${toFieldIssues(parsed.error)
        .map((i) => `${i.field}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
};

/** Writes the file atomically (rename), readable by its owner only. */
export const writeTokenFile = async (path: string, file: TokenFile): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
};

/** A new token value: 32 random bytes, base64url (43 characters). */
export const newTokenValue = (): string => randomBytes(32).toString('base64url');

/**
 * NamedTokens from `tokens.json` (re-read when the file changes, so `npm run tokens -- add` needs no restart) plus
 * fixed tokens held in memory (`npm start`'s generated token, `INSTACLONE_API_TOKEN`), each as `token:<name>`.
 */
export const namedTokenFile = (path: string | undefined, fixed: Record<string, string> = {}): NamedTokens => {
  const fixedByHash = new Map(Object.entries(fixed).map(([name, value]) => [hashToken(value), name]));
  let loaded: { version: string; byHash: Map<string, string> } | undefined;
  const current = async (): Promise<Map<string, string>> => {
    if (path === undefined) return new Map();
    // Every write renames a new file into place, so the inode changes even within one mtime tick.
    const version = await stat(path).then(
      (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
      () => 'absent',
    );
    if (!loaded || loaded.version !== version) {
      const file = await readTokenFile(path);
      loaded = { version, byHash: new Map(file.tokens.map((t) => [t.sha256, t.name])) };
    }
    return loaded.byHash;
  };
  return {
    async principalOf(token: string): Promise<Principal | undefined> {
      const hash = hashToken(token);
      const name = fixedByHash.get(hash) ?? (await current()).get(hash);
      return name === undefined ? undefined : tokenPrincipal(name);
    },
  };
};
