import * as z from 'zod';
import { jsonSetting } from '#shared/config/json-setting';
import { loadConfig } from '#shared/config/load-config';
import { ConsoleOidcSchema } from '#shared/console/model/console-oidc';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * What `npm start` reads from the environment. Without VCENTER_URL the embedded simulator is used; with it,
 * the username and password are required, and TLS is verified (VCENTER_CA_FILE for a private CA) unless
 * VCENTER_INSECURE=true says otherwise.
 */
export const RunConfigSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    INSTACLONE_DATA_DIR: z.string().min(1).default('.instaclone'),
    INSTACLONE_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Who may clone what: a policy file, YAML or JSON. Absent: no policy, every token may do everything. */
    INSTACLONE_POLICY_FILE: z.string().min(1).optional(),
    /** The console's OIDC sign-in (ConsoleOidcSchema JSON); its issuer must be one of the policy's issuers. */
    INSTACLONE_CONSOLE_OIDC: jsonSetting(ConsoleOidcSchema),
    VCENTER_URL: z.url().optional(),
    VCENTER_USERNAME: z.string().min(1).optional(),
    VCENTER_PASSWORD: z.string().min(1).optional(),
    VCENTER_CA_FILE: z.string().min(1).optional(),
    VCENTER_INSECURE: flag,
    VCENTER_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(8),
    /** Managed MAC ranges as JSON (MacRangesSchema), checked by the functions' own configuration. */
    INSTACLONE_MAC_RANGES: z.string().min(1).optional(),
    // Signed routes and notifiers (examples/): a route is served only when its secret is set.
    GENERIC_HOOK_SECRET: z.string().min(16).optional(),
    GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    CALLBACK_SIGNING_SECRET: z.string().min(16).optional(),
    GITHUB_RUNNER_POOLS: z.string().min(1).optional(),
    GITHUB_APP_ID: z.string().min(1).optional(),
    GITHUB_APP_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    GITHUB_API_URL: z.url().optional(),
    SLACK_RESPONSE_ORIGINS: z.string().min(1).optional(),
  })
  .refine((c) => !c.VCENTER_URL || (c.VCENTER_USERNAME && c.VCENTER_PASSWORD), {
    path: ['VCENTER_USERNAME'],
    message: 'VCENTER_USERNAME and VCENTER_PASSWORD are required with VCENTER_URL',
  });

export type RunConfig = z.infer<typeof RunConfigSchema>;
export const loadRunConfig = (env: Record<string, string | undefined> = process.env): Readonly<RunConfig> =>
  loadConfig(RunConfigSchema, env);
