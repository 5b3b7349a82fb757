import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { makeSecretProvider } from '../aws/secret-provider.js';
import type { GuestinfoResolver } from '../clones/ports/guestinfo-resolver.js';
import { GithubAppClient } from './adapters/github-app-client.js';
import { parseRunnerPools } from './model/runner-pools.js';
import { makeReapIdleRunners, type ReapedRunner, type ReapIdleRunnersDeps } from './use-cases/reap-idle-runners.js';
import { makeRunnerGuestinfoResolver } from './use-cases/runner-guestinfo.js';

/** What the clone worker needs for GitHub runner clones; every key optional (no runners without them). */
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

/** The App client, when an App id and key are configured. */
const githubClientFrom = (
  config: RunnerWorkerConfig,
  secrets: () => SecretsManagerClient,
): GithubAppClient | undefined => {
  if (!config.GITHUB_APP_ID || !(config.GITHUB_APP_PRIVATE_KEY || config.GITHUB_APP_PRIVATE_KEY_ARN)) return undefined;
  return new GithubAppClient({
    appId: config.GITHUB_APP_ID,
    baseUrl: config.GITHUB_API_URL,
    privateKey: makeSecretProvider(
      {
        name: 'GITHUB_APP_PRIVATE_KEY',
        value: config.GITHUB_APP_PRIVATE_KEY,
        secretId: config.GITHUB_APP_PRIVATE_KEY_ARN,
      },
      { secrets },
    ),
  });
};

/**
 * The worker's GuestinfoResolver from its env: JIT configs for runner clones, `{}` for every other job.
 * Without an App configured a runner clone is refused (non-retryable: the job fails saying why), so a
 * misconfigured stage never boots runners that cannot register.
 */
export const makeRunnerGuestinfoFromConfig = (
  config: RunnerWorkerConfig,
  secrets: () => SecretsManagerClient,
): GuestinfoResolver =>
  makeRunnerGuestinfoResolver({
    pools: parseRunnerPools(config.GITHUB_RUNNER_POOLS),
    github: githubClientFrom(config, secrets),
  });

/**
 * The idle-runner reaper from the same env (for the scheduled reaper function and `npm start`'s lease check), or
 * undefined when no pools or no App are configured.
 */
export const makeIdleRunnerReaperFromConfig = (
  config: RunnerWorkerConfig,
  secrets: () => SecretsManagerClient,
  deps: Omit<ReapIdleRunnersDeps, 'pools' | 'github'>,
): ((signal?: AbortSignal) => Promise<ReapedRunner[]>) | undefined => {
  const pools = parseRunnerPools(config.GITHUB_RUNNER_POOLS);
  const github = githubClientFrom(config, secrets);
  return pools.pools.length > 0 && github ? makeReapIdleRunners({ ...deps, pools, github }) : undefined;
};
