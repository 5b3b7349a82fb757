import * as z from 'zod';

/** What a rule can grant. `admin` grants every action on every resource without limits. */
export const ACTIONS = ['clone', 'read', 'list', 'destroy', 'claim', 'manage-pools', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

/** Whose jobs a `read`, `list` or `destroy` grant covers: the caller's own, its group's (see Rule), or every job. */
export const SCOPES = ['own', 'group', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** Largest live-clone or concurrent-job limit: the ledger keeps each counted job id in one DynamoDB item (400 KB). */
export const MAX_QUOTA_LIMIT = 1000;

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
/** https, or http on a loopback address (tests and `npm start` run their own issuer). */
export const SecureUrlSchema = z.url({ error: 'must be a URL' }).refine((s) => {
  const url = new URL(s);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}, 'must be https (plain http only on a loopback address)');

const NoWildcard = z
  .string()
  .min(1)
  .max(256)
  .refine((s) => !s.includes('*'), 'must not contain "*"');

/**
 * An OIDC issuer the service accepts tokens from. `audience` is required: a token minted for another service (or
 * GitHub's default audience) must not be accepted here. `jwksUri` overrides discovery (tests, air-gapped set-ups).
 */
export const IssuerSchema = z
  .object({
    issuer: SecureUrlSchema,
    audience: NoWildcard,
    jwksUri: SecureUrlSchema.optional(),
    /** Short name for the JWT authorizer and its API on AWS; derived from the host when absent. */
    name: z
      .string()
      .regex(/^[a-z0-9-]{1,32}$/, 'names are 1-32 lower-case letters, digits or "-"')
      .optional(),
  })
  .strict();
export type Issuer = z.infer<typeof IssuerSchema>;

const GlobSchema = z.string().min(1).max(512);
const ClaimValueSchema = z.union([GlobSchema, z.array(GlobSchema).min(1).max(50)]);

/** A principal by id (a glob: `token:alice`, `github:*`, `slack:T0123/*`). */
export const IdMatcherSchema = z.object({ id: GlobSchema }).strict();
/** An IAM principal by ARN glob, matched against the caller's ARN and, for role sessions, the role's ARN. */
export const ArnMatcherSchema = z.object({ arn: GlobSchema.regex(/^arn:/, 'must start with "arn:"') }).strict();
/** A verified OIDC token of `issuer` whose claims match every listed claim (a value or any of a list; globs). */
export const OidcMatcherSchema = z
  .object({
    issuer: SecureUrlSchema,
    claims: z
      .record(z.string().min(1).max(64), ClaimValueSchema)
      .refine((c) => Object.keys(c).length > 0, 'bind at least one claim'),
  })
  .strict();
export const PrincipalMatcherSchema = z.union([IdMatcherSchema, ArnMatcherSchema, OidcMatcherSchema], {
  error: 'must be {"id": …}, {"arn": …} or {"issuer": …, "claims": {…}}',
});
export type PrincipalMatcher = z.infer<typeof PrincipalMatcherSchema>;

const InventoryEntrySchema = z.string().min(1).max(1024);
const NameEntrySchema = z.string().min(1).max(256);

/**
 * Where a grant applies. Inventory entries: `*`, a folder prefix ending in `/`, an exact path, or a moref. A placement
 * list that is absent means "where the source is": the request may not choose that placement itself.
 */
export const ResourcesSchema = z
  .object({
    sources: z.array(InventoryEntrySchema).min(1).max(100).optional(),
    folders: z.array(InventoryEntrySchema).min(1).max(100).optional(),
    resourcePools: z.array(InventoryEntrySchema).min(1).max(100).optional(),
    datastores: z.array(InventoryEntrySchema).min(1).max(100).optional(),
    /** Portgroup names (standard or distributed) a NIC may be moved to. */
    networks: z.array(NameEntrySchema).min(1).max(100).optional(),
    /** Warm pools (by name, or `*`) for `claim` and `manage-pools`. */
    warmPools: z.array(NameEntrySchema).min(1).max(100).optional(),
  })
  .strict();
export type Resources = z.infer<typeof ResourcesSchema>;

const QuotaLimit = z.number().int().min(1).max(MAX_QUOTA_LIMIT);

/**
 * Caps on what a `clone` grant allows. `count`, `ttlMinutes` and `waitFor` bound each request; `liveClones` (not yet
 * destroyed) and `concurrentJobs` (queued or running) are counted per principal, or for everyone the rule admits
 * together with `per: group`.
 */
export const LimitsSchema = z
  .object({
    per: z.enum(['principal', 'group']).default('principal'),
    count: z.number().int().min(1).max(100).optional(),
    liveClones: QuotaLimit.optional(),
    concurrentJobs: QuotaLimit.optional(),
    /** Longest lease; with this limit a request must give `ttlMinutes`. */
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .optional(),
    waitFor: z
      .array(z.enum(['task', 'ip']))
      .min(1)
      .optional(),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

const has = (rule: { actions: readonly Action[] }, ...actions: Action[]) =>
  actions.some((a) => rule.actions.includes(a));

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'rule ids are 1-64 lower-case letters, digits or "-"'),
    description: z.string().max(500).optional(),
    principals: z.array(PrincipalMatcherSchema).min(1).max(50),
    actions: z
      .array(z.enum(ACTIONS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'each action once'),
    resources: ResourcesSchema.optional(),
    limits: LimitsSchema.optional(),
    scope: z.enum(SCOPES).optional(),
  })
  .strict()
  .refine((r) => !has(r, 'clone') || r.resources?.sources !== undefined, {
    path: ['resources', 'sources'],
    message: 'is required with "clone": the sources this rule lets its principals clone',
  })
  .refine((r) => !has(r, 'claim', 'manage-pools') || r.resources?.warmPools !== undefined, {
    path: ['resources', 'warmPools'],
    message: 'is required with "claim" or "manage-pools": the warm pools this rule covers',
  })
  .refine((r) => r.limits === undefined || has(r, 'clone'), {
    path: ['limits'],
    message: 'applies to "clone" only',
  })
  .refine((r) => r.scope === undefined || has(r, 'read', 'list', 'destroy'), {
    path: ['scope'],
    message: 'applies to "read", "list" and "destroy" only',
  });
export type Rule = z.infer<typeof RuleSchema>;

/**
 * The policy document, version 1. Rules only grant (there is no deny rule): once a policy exists, whatever no rule
 * grants is denied. Rules are tried in order; the first whose principals, action and resources all match decides.
 */
export const PolicySchema = z
  .object({
    // YAML reads `version: 1` as a number; both spellings mean version 1.
    version: z.preprocess((v) => (v === 1 ? '1' : v), z.literal('1')),
    issuers: z.array(IssuerSchema).max(10).default([]),
    rules: z.array(RuleSchema).min(1).max(500),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: 'is used twice' });
      seen.add(rule.id);
    });
    const issuers = new Set<string>();
    policy.issuers.forEach((issuer, index) => {
      if (issuers.has(issuer.issuer)) {
        ctx.addIssue({ code: 'custom', path: ['issuers', index, 'issuer'], message: 'is listed twice' });
      }
      issuers.add(issuer.issuer);
    });
  });
export type Policy = z.infer<typeof PolicySchema>;
