/** Where a JIT runner registers: a repository, or an organisation (with a runner group). */
export type RunnerScope = { installationId: number } & (
  | { kind: 'repo'; owner: string; repo: string }
  | { kind: 'org'; org: string }
);

export type JitConfigRequest = { name: string; labels: string[]; runnerGroupId: number; workFolder?: string };
export type JitConfig = { runnerId: number; encodedJitConfig: string };
export type RegisteredRunner = { id: number; name: string; status?: string; busy?: boolean };

/**
 * GitHub's self-hosted runner registrations, as the runner feature needs them. Every method rejects with
 * GithubApiError (retryable for rate limits and GitHub being down, `upstreamStatus` GitHub's answer) or
 * SecretUnavailableError (the App's key).
 */
export interface GithubRunners {
  /** Registers a just-in-time runner and returns its config for `run.sh --jitconfig`. */
  generateJitConfig(scope: RunnerScope, request: JitConfigRequest, signal?: AbortSignal): Promise<JitConfig>;
  /** The registered runner of that name (`busy` while it runs a job), or undefined. */
  findRunnerByName(scope: RunnerScope, name: string, signal?: AbortSignal): Promise<RegisteredRunner | undefined>;
  /** Unregisters a runner by id. GitHub refuses (422) while it runs a job. */
  deleteRunner(scope: RunnerScope, runnerId: number, signal?: AbortSignal): Promise<void>;
  /** Deletes the runner of that name, if there is one; true when one was deleted. */
  deleteRunnerByName(scope: RunnerScope, name: string, signal?: AbortSignal): Promise<boolean>;
}
