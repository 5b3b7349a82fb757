import { Peer, Port } from 'aws-cdk-lib/aws-ec2';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { RunnerWorkerConfig } from '#shared/runners/config';
import { githubApiPort, runnerPoolsEnv, type StageConfig } from '../stage-config.js';
import type { NodeFunction } from './node-function.js';
import type { WorkerNetwork } from './worker-network.js';

/** Environment variables for GitHub runner clones (names checked against the shared config schema). */
export const GITHUB_RUNNER_ENV = {
  runnerPools: 'GITHUB_RUNNER_POOLS',
  appId: 'GITHUB_APP_ID',
  privateKeyArn: 'GITHUB_APP_PRIVATE_KEY_ARN',
  apiUrl: 'GITHUB_API_URL',
} as const satisfies Record<string, keyof RunnerWorkerConfig>;

export type GithubRunnerAccessProps = {
  /** The stage's `github` section; the stage schema guarantees an App id and pools when it is enabled. */
  readonly github: StageConfig['github'];
  readonly awsApiAccess: StageConfig['network']['awsApiAccess'];
  /** The GitHub App's PEM private key (stateful stack). */
  readonly privateKey: ISecret;
  /** Fetches a JIT runner config before each runner clone; in the VPC. */
  readonly worker: NodeFunction;
  readonly workerNetwork: WorkerNetwork;
  /** Unregisters and destroys idle runner clones; outside the VPC. */
  readonly reaper?: NodeFunction;
};

/**
 * What GitHub runner clones need from the functions that call the GitHub API as the App (worker and reaper):
 * the runner pools, App id, API URL and private-key secret ARN as environment, read on that secret only, and the
 * worker's HTTPS egress to the API. The reaper runs outside the VPC and reaches GitHub directly. The worker's
 * egress: with `nat` access and the API on 443 it already may open 443 anywhere; otherwise (`vpc-endpoints`, or
 * a GitHub Enterprise Server on another port) only to the stage's `github.egress` CIDRs and prefix lists.
 */
export class GithubRunnerAccess extends Construct {
  constructor(scope: Construct, id: string, props: GithubRunnerAccessProps) {
    super(scope, id);
    const { github } = props;
    if (!github.appId) throw new Error('github.appId is required for GitHub runners');
    const environment = {
      [GITHUB_RUNNER_ENV.runnerPools]: runnerPoolsEnv(github),
      [GITHUB_RUNNER_ENV.appId]: github.appId,
      [GITHUB_RUNNER_ENV.privateKeyArn]: props.privateKey.secretArn,
      [GITHUB_RUNNER_ENV.apiUrl]: github.apiUrl,
    };
    for (const fn of [props.worker, ...(props.reaper ? [props.reaper] : [])]) {
      for (const [key, value] of Object.entries(environment)) fn.function.addEnvironment(key, value);
      props.privateKey.grantRead(fn.role);
    }

    const port = githubApiPort(github);
    if (props.awsApiAccess.mode === 'nat' && port === 443) return;
    const { securityGroup } = props.workerNetwork;
    const description = `GitHub API (${new URL(github.apiUrl).host}) for runner JIT configs`;
    for (const cidr of github.egress?.cidrs ?? [])
      securityGroup.addEgressRule(Peer.ipv4(cidr), Port.tcp(port), description);
    for (const prefixListId of github.egress?.prefixListIds ?? []) {
      securityGroup.addEgressRule(Peer.prefixList(prefixListId), Port.tcp(port), description);
    }
  }
}
