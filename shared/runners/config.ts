import * as z from 'zod';

/** What the clone worker (JIT configs) and the reaper (idle runners) read for GitHub runner clones; all optional. */
export const RunnerWorkerConfigSchema = z.object({
  GITHUB_RUNNER_POOLS: z.string().min(1).optional(),
  GITHUB_APP_ID: z.string().regex(/^\d+$/, 'is the numeric GitHub App id').optional(),
  /** PEM (local runs). */
  GITHUB_APP_PRIVATE_KEY: z.string().min(1).optional(),
  /** Secrets Manager secret whose SecretString is the PEM (AWS). */
  GITHUB_APP_PRIVATE_KEY_ARN: z.string().min(1).optional(),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
});
export type RunnerWorkerConfig = z.infer<typeof RunnerWorkerConfigSchema>;
