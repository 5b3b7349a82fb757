import * as z from 'zod';
import { type Issuer, SecureUrlSchema } from '../../access/model/policy.js';

/** An OAuth scope token (RFC 6749 §3.3: printable ASCII without space, `"` or `\`). */
const ScopeSchema = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/, 'is not a scope token');

/**
 * The console's OIDC sign-in (`INSTACLONE_CONSOLE_OIDC` locally, `console.oidc` in a stage file), a JSON document,
 * version 1: `{"version":"1","issuer":"https://login.example.com","clientId":"instaclone-console"}`.
 * - `issuer`: found by discovery (`<issuer>/.well-known/openid-configuration`); https, or http on loopback.
 * - `clientId`: a public client (authorization code with PKCE, no secret: the page cannot keep one). The console
 *   sends the ID token, whose audience is this client id, so it must be the issuer's `audience` in the policy.
 * - `scopes`: default `["openid", "email", "profile"]` (email and name show who asked for a job); `openid` required.
 * - `name`: shown on the button, "Sign in with <name>"; default the issuer's host.
 * - `tokenEndpoint`: only when the issuer's token endpoint is on another origin than the issuer (e.g. Google's
 *   `https://oauth2.googleapis.com/token`): the page's Content-Security-Policy lets it fetch only what is named.
 */
export const ConsoleOidcSchema = z
  .object({
    version: z.literal('1'),
    issuer: SecureUrlSchema,
    clientId: z.string().min(1).max(256),
    scopes: z
      .array(ScopeSchema)
      .min(1)
      .max(20)
      .refine((scopes) => scopes.includes('openid'), 'must include "openid" (the console signs in with an ID token)')
      .default(['openid', 'email', 'profile']),
    name: z.string().min(1).max(64).optional(),
    tokenEndpoint: SecureUrlSchema.optional(),
  })
  .strict();
export type ConsoleOidc = z.infer<typeof ConsoleOidcSchema>;

/**
 * What the page learns from `GET /console/config.json`: how to sign in. `oidc` absent: the token form (`npm start`
 * without `INSTACLONE_CONSOLE_OIDC`). Never holds a secret: the file is public.
 */
export type ConsoleSettings = {
  version: '1';
  oidc?: { issuer: string; clientId: string; scopes: string[]; name: string };
};

/** The settings the page gets for a parsed `ConsoleOidc` (or none). */
export const consoleSettingsOf = (oidc: ConsoleOidc | undefined): ConsoleSettings => ({
  version: '1',
  ...(oidc && {
    oidc: {
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      scopes: oidc.scopes,
      name: oidc.name ?? new URL(oidc.issuer).host,
    },
  }),
});

/** Origins the page may fetch besides its own: the issuer's (discovery, token) and a separate token endpoint's. */
export const issuerOriginsOf = (oidc: ConsoleOidc | undefined): string[] =>
  oidc ? [...new Set([oidc.issuer, oidc.tokenEndpoint].flatMap((url) => (url ? [new URL(url).origin] : [])))] : [];

/**
 * Why the API would refuse the console's ID tokens, or undefined when it admits them: the policy must list the
 * console's issuer under `issuers` with the client id as its `audience` (an ID token's `aud` is the client id).
 * Answers `{field, message}` with `field` relative to the console's OIDC setting.
 */
export const consoleIssuerProblem = (
  oidc: ConsoleOidc,
  issuers: readonly Issuer[],
): { field: 'issuer' | 'clientId'; message: string } | undefined => {
  const listed = issuers.find((issuer) => issuer.issuer === oidc.issuer);
  if (!listed) {
    return {
      field: 'issuer',
      message: `${oidc.issuer} is not among the access policy's issuers, so the API would refuse its tokens; add it there`,
    };
  }
  if (listed.audience !== oidc.clientId) {
    return {
      field: 'clientId',
      message: `"${oidc.clientId}" is not the policy's audience for ${oidc.issuer} ("${listed.audience}"); the console sends ID tokens, whose audience is the client id`,
    };
  }
  return undefined;
};
