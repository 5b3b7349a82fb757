import type { CloneJob } from '../../clones/model/clone-job.js';
import { IntegrationError } from '../../errors/integration-error.js';
import type { GithubAppClient, RunnerScope } from '../adapters/github-app-client.js';
import { RUNNER_LABELS, runnerNameFor } from '../model/github-webhook.js';
import { poolByName, type RunnerPools } from '../model/runner-pools.js';

/** guestinfo key the in-guest script reads (`vmware-rpctool "info-get guestinfo.instaclone.runner.jitconfig"`). */
export const JIT_CONFIG_GUESTINFO_KEY = 'guestinfo.instaclone.runner.jitconfig';

/**
 * Worker hook: extraConfig values resolved just before `InstantClone_Task` and never stored with the job
 * (a JIT config is a credential: whoever holds it can register as this runner).
 */
export type GuestinfoResolver = (job: CloneJob, options: { signal?: AbortSignal }) => Promise<Record<string, string>>;

type JitApi = Pick<GithubAppClient, 'generateJitConfig' | 'deleteRunnerByName'>;

/** Where the runner of a runner clone is registered, from the clone's labels. */
export const runnerScopeOf = (job: CloneJob, kind: 'repo' | 'org'): RunnerScope => {
  const labels = job.request.labels ?? {};
  const installationId = Number(labels[RUNNER_LABELS.installationId]);
  const [owner = '', repo = ''] = (labels[RUNNER_LABELS.repo] ?? '').split('/');
  if (!Number.isInteger(installationId) || installationId <= 0 || !owner || !repo) {
    throw new IntegrationError(
      'GITHUB_REJECTED',
      `job ${job.jobId} lacks the GitHub installation or repository`,
      false,
    );
  }
  if (kind === 'org') return { kind, installationId, org: labels[RUNNER_LABELS.org] ?? owner };
  return { kind, installationId, owner, repo };
};

/**
 * The `guestinfo.instaclone.runner.*` values the in-guest script logs, from the clone's labels. A runner cloned for
 * its job has them from its request already; a warm-pool spare gets them with its JIT config.
 */
const runnerGuestinfoOf = (job: CloneJob): Record<string, string> => {
  const labels = job.request.labels ?? {};
  const values = {
    'guestinfo.instaclone.runner.name': runnerNameFor(job.jobId),
    'guestinfo.instaclone.runner.pool': labels[RUNNER_LABELS.pool],
    'guestinfo.instaclone.runner.repo': labels[RUNNER_LABELS.repo],
    'guestinfo.instaclone.runner.job-id': labels[RUNNER_LABELS.jobId],
  };
  // An empty value would delete the key on vCenter: leave out what the labels do not say.
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1])));
};

/**
 * For runner clones (jobs labelled `github.pool`), a just-in-time runner configuration named `instaclone-<jobId>` and
 * registered with the pool's labels; `{}` for every other job. A name left registered by an earlier attempt
 * (GitHub answers 409/422) is deleted and the config generated again, once.
 * Rejects with IntegrationError: retryable ones (rate limit, GitHub down) should make the worker retry the
 * message; the others should fail the job (the pool or the App's installation is wrong).
 */
export const makeRunnerGuestinfoResolver =
  ({ pools, github }: { pools: RunnerPools; github: JitApi }): GuestinfoResolver =>
  async (job, { signal }): Promise<Record<string, string>> => {
    const poolName = job.request.labels?.[RUNNER_LABELS.pool];
    if (poolName === undefined) return {};
    const pool = poolByName(pools, poolName);
    if (!pool) throw new IntegrationError('GITHUB_REJECTED', `runner pool ${poolName} is not configured`, false);
    const scope = runnerScopeOf(job, pool.scope);
    const name = runnerNameFor(job.jobId);
    const request = { name, labels: pool.labels, runnerGroupId: pool.runnerGroupId };
    const withConfig = (jit: { encodedJitConfig: string }) => ({
      ...runnerGuestinfoOf(job),
      [JIT_CONFIG_GUESTINFO_KEY]: jit.encodedJitConfig,
    });
    try {
      return withConfig(await github.generateJitConfig(scope, request, signal));
    } catch (err) {
      const nameTaken = err instanceof IntegrationError && (err.status === 409 || err.status === 422);
      if (!nameTaken || !(await github.deleteRunnerByName(scope, name, signal))) throw err;
      return withConfig(await github.generateJitConfig(scope, request, signal));
    }
  };
