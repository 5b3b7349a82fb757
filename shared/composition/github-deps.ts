import { DynamoDbDeliveryLedger } from '../runners/adapters/dynamodb-delivery-ledger.js';
import { GithubAppClient } from '../runners/adapters/github-app-client.js';
import { parseRunnerPools, type RunnerPools } from '../runners/model/runner-pools.js';
import type { DeliveryLedger } from '../runners/ports/delivery-ledger.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import { family } from './family.js';
import type { SecretDeps } from './secret-deps.js';

/**
 * GitHub runner clones: the configured runner pools, the GitHub App when its id and private key are set, and the
 * ledger of webhook deliveries (one claim per `X-GitHub-Delivery`).
 */
export type GithubDeps = {
  readonly runnerPools: RunnerPools;
  readonly githubApp: GithubAppClient | undefined;
  readonly githubDeliveries: DeliveryLedger;
};

export const githubFamily = family<GithubDeps, SecretDeps & AwsDeps>((config) => ({
  runnerPools: () => parseRunnerPools(config.GITHUB_RUNNER_POOLS),
  githubApp: (d) => {
    const key = d.secret('GITHUB_APP_PRIVATE_KEY', config.GITHUB_APP_PRIVATE_KEY, config.GITHUB_APP_PRIVATE_KEY_ARN);
    if (!config.GITHUB_APP_ID || !key) return undefined;
    return new GithubAppClient({
      appId: config.GITHUB_APP_ID,
      privateKey: key,
      ...(config.GITHUB_API_URL && { baseUrl: config.GITHUB_API_URL }),
    });
  },
  githubDeliveries: (d) => new DynamoDbDeliveryLedger(d.dynamo, jobsTable(config), 'github'),
}));
