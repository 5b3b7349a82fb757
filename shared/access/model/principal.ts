import * as z from 'zod';

/**
 * Who makes a request. `iam`: an AWS IAM principal (API Gateway IAM auth); `oidc`: a verified OIDC token (GitHub
 * Actions, GitLab, a company identity provider); `token`: a named local bearer token; `hook`: a signed inbound path
 * acting as itself (`hook:generic`, `github:<installation>`, `slack:<team>/<user>`); `service`: the service's own work
 * (pool spares), never derived from a request.
 */
export const PRINCIPAL_KINDS = ['iam', 'oidc', 'token', 'hook', 'service'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Bounds that keep a principal small enough to store on every job and carry in every event. */
const MAX_ATTRIBUTES = 40;
const MAX_ATTRIBUTE_VALUE = 512;

export const PrincipalSchema = z
  .object({
    /** Stable and unique across kinds: an ARN, `oidc:<issuer>#<sub>`, `token:<name>`, `hook:generic`, … */
    id: z.string().min(1).max(1024),
    kind: z.enum(PRINCIPAL_KINDS),
    /** What rules may match on besides the id: IAM ARN parts, OIDC claims, the Slack team and user. */
    attributes: z
      .record(z.string().max(64), z.string().max(MAX_ATTRIBUTE_VALUE))
      .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, `at most ${MAX_ATTRIBUTES} attributes`),
  })
  .strict();
export type Principal = z.infer<typeof PrincipalSchema>;

/** A named local bearer token (`npm start`'s generated token is `token:default`). */
export const tokenPrincipal = (name: string): Principal => ({
  id: `token:${name}`,
  kind: 'token',
  attributes: { name },
});

/** The name `npm start`'s generated token has. */
export const DEFAULT_TOKEN_NAME = 'default';

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const ACCOUNT_OF_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+::(\d{12}):/;

/**
 * An IAM caller by its ARN as API Gateway reports it (`requestContext.authorizer.iam.userArn`). An assumed-role
 * session also gets `roleArn` (`arn:aws:iam::<account>:role/<name>`; the role's path is not in a session ARN), so a
 * rule can name the role rather than every session of it.
 */
export const iamPrincipal = (arn: string): Principal => {
  const assumed = ASSUMED_ROLE.exec(arn);
  const accountId = ACCOUNT_OF_ARN.exec(arn)?.[1];
  return {
    id: arn,
    kind: 'iam',
    attributes: {
      arn,
      ...(accountId && { accountId }),
      ...(assumed && { roleArn: `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`, session: assumed[4] ?? '' }),
    },
  };
};

/**
 * Scalar claims as strings, the way API Gateway's JWT authorizer hands them to the function; arrays of strings are
 * joined with spaces inside brackets as it does (`[a b]`); objects and over-long values are left out.
 */
export const claimAttributes = (claims: Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (Object.keys(out).length >= MAX_ATTRIBUTES || name.length > 64) break;
    const text = Array.isArray(value)
      ? value.every((v) => typeof v === 'string')
        ? `[${value.join(' ')}]`
        : undefined
      : ['string', 'number', 'boolean'].includes(typeof value)
        ? String(value)
        : undefined;
    if (text !== undefined && text.length <= MAX_ATTRIBUTE_VALUE) out[name] = text;
  }
  return out;
};

/** A verified OIDC token's subject. Claims are kept as attributes so rules can bind `repository`, `ref`, … */
export const oidcPrincipal = (claims: Record<string, unknown>): Principal => {
  const attributes = claimAttributes(claims);
  return { id: `oidc:${attributes.iss ?? ''}#${attributes.sub ?? ''}`, kind: 'oidc', attributes };
};

/** The generic signed hook: whoever holds its secret. */
export const genericHookPrincipal = (): Principal => ({ id: 'hook:generic', kind: 'hook', attributes: {} });

/** A verified GitHub webhook delivery, acting for the App installation it came from. */
export const githubPrincipal = (installationId: number | string): Principal => ({
  id: `github:${installationId}`,
  kind: 'hook',
  attributes: { installation: String(installationId) },
});

/** A Slack user, from a signed slash command: their team and user id. */
export const slackPrincipal = (teamId: string, userId: string): Principal => ({
  id: `slack:${teamId}/${userId}`,
  kind: 'hook',
  attributes: { team: teamId, user: userId },
});

/** The service acting for itself (`service:<part>`, e.g. `service:pool-scaler`); never built from a request. */
export const servicePrincipal = (part: string): Principal => ({
  id: `service:${part}`,
  kind: 'service',
  attributes: {},
});
