import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { type MacRange, MacRangeSchema, MacRangesSchema, macRangesSetting } from '#shared/clones/model/mac-ranges';
import { ENV } from '#shared/config/env-keys';
import {
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_VCENTER_MAX_CONCURRENCY,
  WORKER_TIMEOUT_SECONDS,
} from '#shared/config/resources';
import { ConsoleOidcSchema } from '#shared/console/model/console-oidc';
import { RunnerPoolSchema } from '#shared/runners/model/runner-pools';
import { REPO_ROOT } from './paths.js';

/** Every value CloudWatch Logs accepts as a retention period, in days. */
const RETENTION_DAYS = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `expected ${prefix}-<hex>`);
const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/**
 * How the worker reaches the AWS APIs it calls (DynamoDB, EventBridge, Secrets Manager, SQS) from private subnets.
 * No default: the choice changes cost and the worker's egress, so each stage states it.
 * - `vpc-endpoints`: the stack creates interface endpoints (SQS, EventBridge, Secrets Manager) and a
 *   DynamoDB gateway endpoint; the worker's egress stays limited to those endpoints plus vCenter. The DynamoDB
 *   prefix list id (`aws ec2 describe-managed-prefix-lists`) is needed because a gateway endpoint is reached by
 *   the service's public ranges, which CloudFormation cannot look up.
 * - `nat`: the subnets already route to a NAT gateway; the worker then needs 443 to anywhere, which is wider.
 */
const AwsApiAccessSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('vpc-endpoints'), dynamoDbPrefixListId: awsId('pl') }),
  z.object({ mode: z.literal('nat') }),
]);

const NetworkSchema = z
  .object({
    vpcId: awsId('vpc'),
    availabilityZones: nonEmptyList(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, 'expected an AZ name')),
    privateSubnetIds: nonEmptyList(awsId('subnet')),
    /** Needed for the DynamoDB gateway endpoint's routes; one per subnet, same order. */
    privateSubnetRouteTableIds: nonEmptyList(awsId('rtb')),
    awsApiAccess: AwsApiAccessSchema,
  })
  .superRefine((network, ctx) => {
    const azs = network.availabilityZones.length;
    for (const key of ['privateSubnetIds', 'privateSubnetRouteTableIds'] as const) {
      if (network[key].length !== azs) {
        ctx.addIssue({ code: 'custom', path: [key], message: `needs one entry per availability zone (${azs})` });
      }
    }
  });

const VcenterSchema = z.object({
  /** The SDK endpoint, e.g. `https://vcenter.example.internal/sdk`; its port opens the worker's egress. */
  url: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }),
  /** Where vCenter lives; the only non-AWS destination the worker may reach. */
  cidr: z.cidrv4(),
  /** PEM bundle (path relative to the repository root) copied into the worker bundle to verify vCenter's TLS. */
  caBundleFile: z
    .string()
    .refine((file) => existsSync(resolve(REPO_ROOT, file)), 'file not found (relative to the repository root)')
    .optional(),
  /** Skips TLS verification for this client only. Labs only; never together with a CA bundle. */
  insecure: z.boolean().default(false),
  /** Name of the Secrets Manager secret holding `{ "username", "password" }`; created by the stateful stack. */
  secretName: z.string().regex(/^[\w/+=.@-]{1,512}$/),
  /** Parallel worker invocations, i.e. the SQS event source's MaximumConcurrency (Lambda allows 2–1000). */
  maxConcurrency: z.number().int().min(2).max(1000).default(DEFAULT_VCENTER_MAX_CONCURRENCY),
});

const WorkerSchema = z.object({
  /** Lambda timeout; the queue's visibility timeout is derived from it. */
  timeoutSeconds: z.number().int().min(30).max(900).default(WORKER_TIMEOUT_SECONDS),
  memorySizeMb: z.number().int().min(128).max(10240).default(DEFAULT_FUNCTION_MEMORY_MB),
});

const AlarmsSchema = z
  .object({
    /** Subscribed to a new alarm topic; ignored when `topicArn` is set. */
    email: z.email().optional(),
    /** An existing SNS topic for alarm actions (e.g. the on-call integration). */
    topicArn: z
      .string()
      .regex(/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'expected an SNS topic ARN')
      .optional(),
    /** Alarm when the oldest clone request has waited longer than this. */
    oldestMessageAgeSeconds: z.number().int().min(60).default(900),
  })
  .default({ oldestMessageAgeSeconds: 900 });

/** Optional parts, off until their functions exist (issues 6 and 9). */
const FeaturesSchema = z
  .object({
    reconciler: z.boolean().default(false),
    reaper: z.boolean().default(false),
    /** Signed callbacks to a job's `callbackUrl` (reads the `callback-signing` secret). */
    callbackNotifier: z.boolean().default(false),
    /**
     * The hooks function behind `POST /v1/hooks/generic`, `POST /v1/hooks/github` and `POST /v1/chat/slack`: no
     * gateway auth, the function verifies each provider's signature with its secret from the stateful stack.
     */
    hooks: z.boolean().default(false),
    /** Posts the outcome of Slack-made clones to their `response_url`. */
    slackNotifier: z.boolean().default(false),
    /** The old name of the signed routes, served by the API function; rejected so a stage file cannot lose them silently. */
    signedRoutes: z
      .never({ error: 'was replaced by features.hooks (a hooks function serving /v1/hooks/* and /v1/chat/slack)' })
      .optional(),
  })
  .default({ reconciler: false, reaper: false, callbackNotifier: false, hooks: false, slackNotifier: false });

/**
 * Who may clone what on this stage. `policyFile` (YAML or JSON, relative to the repository root) is checked at
 * synthesis and bundled into every function that decides; each of its OIDC issuers gets an HTTP API of its own with
 * a JWT authorizer (API Gateway allows one authorizer per route, and IAM stays on the main API). No file: every caller
 * that passes IAM may do everything.
 */
const AccessSchema = z
  .object({
    policyFile: z
      .string()
      .refine((file) => existsSync(resolve(REPO_ROOT, file)), 'file not found (relative to the repository root)')
      .optional(),
  })
  .strict()
  .default({});

/**
 * The web console. `oidc` (a `ConsoleOidcSchema` document, the same as `INSTACLONE_CONSOLE_OIDC`): people sign in at
 * that issuer, which `access.policyFile` must list under `issuers` with `clientId` as its `audience` (checked at
 * synthesis); the console is then used from that issuer's API (`ConsoleUrl` output, the redirect URI to register).
 * Absent: the console asks for a bearer token, which the v1 routes on AWS do not take (they want SigV4 or a JWT).
 */
const ConsoleSchema = z.object({ oidc: ConsoleOidcSchema.optional() }).strict().default({});

/** GitHub's REST API; GitHub Enterprise Server is `https://<host>/api/v3`. */
export const GITHUB_API_URL = 'https://api.github.com';
/**
 * Most characters `GITHUB_RUNNER_POOLS` may take: Lambda allows 4 KB of environment in all per function, and the
 * worker's other variables (ARNs, URLs) need about 1 KB.
 */
export const RUNNER_POOLS_ENV_MAX_CHARS = 2048;

/**
 * GitHub Actions runners on instant clones (issue 9). When enabled, the hooks function turns queued
 * `workflow_job` webhooks into runner clones, the worker fetches a JIT runner configuration from `apiUrl` as the
 * GitHub App right before each runner clone, and the reaper unregisters and destroys idle runner clones.
 */
const GithubSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The GitHub App's numeric id; its PEM private key goes into the `github-app-private-key` secret. */
    appId: z.string().regex(/^\d+$/, 'expected the numeric GitHub App id').optional(),
    apiUrl: z.url({ protocol: /^https$/, error: 'expected an https:// URL' }).default(GITHUB_API_URL),
    /** Label set → golden VM mapping (`GITHUB_RUNNER_POOLS`, validated with the functions' own schema). */
    runnerPools: z.array(RunnerPoolSchema).max(50).default([]),
    /**
     * Where the worker may open HTTPS to `apiUrl` from its subnets: GitHub's API ranges (`api` in
     * https://api.github.com/meta), a GitHub Enterprise Server or a proxy, as CIDRs and/or managed prefix lists.
     * Required unless `network.awsApiAccess.mode` is `nat` (which already allows 443 anywhere) and `apiUrl` is on 443.
     * The subnets still need a route there (NAT, transit gateway, peering): a security group rule opens no path.
     */
    egress: z
      .object({
        cidrs: z.array(z.cidrv4()).default([]),
        prefixListIds: z.array(awsId('pl')).default([]),
      })
      .refine((egress) => egress.cidrs.length + egress.prefixListIds.length > 0, 'needs a CIDR or a prefix list id')
      .optional(),
  })
  .default({ enabled: false, apiUrl: GITHUB_API_URL, runnerPools: [] });

/** `GITHUB_RUNNER_POOLS` for the functions: the shared RunnerPoolsSchema document, version 1. */
export const runnerPoolsEnv = (github: Pick<z.infer<typeof GithubSchema>, 'runnerPools'>): string =>
  JSON.stringify({ version: '1', pools: github.runnerPools });

/** The port of the GitHub API URL (443 unless it names one). */
export const githubApiPort = (github: Pick<z.infer<typeof GithubSchema>, 'apiUrl'>): number =>
  Number(new URL(github.apiUrl).port || 443);

/**
 * Managed MAC ranges (`"mac": "range:<name>"` in a clone request): named ranges inside VMware's manual range
 * `00:50:56:00:00:00`-`00:50:56:3f:ff:ff`, e.g. the addresses a DHCP server has reservations for. Unique names, no
 * overlaps (the functions' own MacRangesSchema checks the same).
 */
const MacRangesStageSchema = z
  .array(MacRangeSchema)
  .max(50)
  .default([])
  .superRefine((ranges, ctx) => {
    const checked = MacRangesSchema.safeParse({ version: '1', ranges });
    for (const issue of checked.success ? [] : checked.error.issues)
      ctx.addIssue({ code: 'custom', path: issue.path.slice(1), message: issue.message });
  });

/** `INSTACLONE_MAC_RANGES` for the functions that submit clones; nothing when the stage has no ranges. */
export const macRangesEnv = (ranges: readonly MacRange[]): Record<string, string> =>
  ranges.length > 0 ? { [ENV.INSTACLONE_MAC_RANGES]: macRangesSetting(ranges) } : {};

/** Per-stage deployment settings, validated before any construct is built. */
export const StageConfigSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'expected a short lower-case name'),
    env: z.object({
      /** Omit to deploy into the CLI's current account (CDK_DEFAULT_ACCOUNT). */
      account: z
        .string()
        .regex(/^\d{12}$/)
        .optional(),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected a region name'),
    }),
    network: NetworkSchema,
    vcenter: VcenterSchema,
    worker: WorkerSchema.default({ timeoutSeconds: WORKER_TIMEOUT_SECONDS, memorySizeMb: DEFAULT_FUNCTION_MEMORY_MB }),
    logRetentionDays: z
      .number()
      .refine((days) => RETENTION_DAYS.includes(days), `expected one of ${RETENTION_DAYS.join(', ')}`)
      .default(30),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    alarms: AlarmsSchema,
    features: FeaturesSchema,
    github: GithubSchema,
    macRanges: MacRangesStageSchema,
    access: AccessSchema,
    console: ConsoleSchema,
  })
  .refine((config) => !(config.vcenter.insecure && config.vcenter.caBundleFile), {
    path: ['vcenter', 'insecure'],
    message: 'cannot be true together with vcenter.caBundleFile',
  })
  .superRefine((config, ctx) => {
    const { github, features, network } = config;
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const pools = github.runnerPools.map((pool) => pool.name);
    if (new Set(pools).size !== pools.length) issue(['github', 'runnerPools'], 'pool names must be unique');
    const envChars = runnerPoolsEnv(github).length;
    if (envChars > RUNNER_POOLS_ENV_MAX_CHARS) {
      issue(
        ['github', 'runnerPools'],
        `is ${envChars} characters as JSON, more than the ${RUNNER_POOLS_ENV_MAX_CHARS} a Lambda environment variable can take here`,
      );
    }
    if (!github.enabled) return;
    if (!github.appId) issue(['github', 'appId'], 'is required when github.enabled is true');
    if (pools.length === 0) issue(['github', 'runnerPools'], 'needs at least one pool when github.enabled is true');
    if (!features.hooks) {
      issue(['features', 'hooks'], 'must be true when github.enabled is true (GitHub posts workflow_job webhooks)');
    }
    if (!features.reaper) {
      issue(['features', 'reaper'], 'must be true when github.enabled is true (it destroys idle runner clones)');
    }
    if (github.egress) return;
    const why =
      network.awsApiAccess.mode === 'vpc-endpoints'
        ? 'network.awsApiAccess.mode is "vpc-endpoints" (no way to the internet)'
        : `${github.apiUrl} is not on port 443 (the only port the NAT egress rule opens)`;
    if (network.awsApiAccess.mode === 'vpc-endpoints' || githubApiPort(github) !== 443) {
      issue(
        ['github', 'egress'],
        `is required when github.enabled is true and ${why}: the worker fetches JIT runner configs from ` +
          `${github.apiUrl}. Use network.awsApiAccess.mode "nat", or list the CIDRs / prefix list ids ` +
          'the private subnets route to (GitHub API ranges, a GitHub Enterprise Server or a proxy)',
      );
    }
  });

/** Validated stage settings (defaults applied). */
export type StageConfig = z.infer<typeof StageConfigSchema>;

/** Thrown by {@link parseStageConfig}; the message lists every invalid key with its dotted path. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/**
 * Validates raw settings (a parsed stage file or a context object).
 * @param source - where the settings came from, quoted in the error message.
 * @throws StageConfigError naming every missing or invalid key, e.g. `vcenter.cidr: Invalid IPv4 range`.
 */
export function parseStageConfig(raw: unknown, source: string): StageConfig {
  const result = StageConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new StageConfigError(`Invalid stage config (${source}):\n${lines.join('\n')}`);
}
