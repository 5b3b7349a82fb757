import { AccessDeniedError } from '../../access/model/access-errors.js';
import type { CloneJob } from '../../clones/model/clone-job.js';
import type { GuestinfoResolver } from '../../clones/ports/guestinfo-resolver.js';
import { GuestConfigError, isAppError, SecretUnavailableError } from '../../errors/app-error.js';
import { GithubApiError } from '../model/github-api-error.js';
import { RUNNER_LABELS, runnerNameFor } from '../model/github-webhook.js';
import { poolAdmits, poolByName, type RunnerPool, type RunnerPools } from '../model/runner-pools.js';
import type { GithubRunners, RunnerScope } from '../ports/github-runners.js';

/** guestinfo key the in-guest script reads (`vmware-rpctool "info-get guestinfo.instaclone.runner.jitconfig"`). */
export const JIT_CONFIG_GUESTINFO_KEY = 'guestinfo.instaclone.runner.jitconfig';

type JitApi = Pick<GithubRunners, 'generateJitConfig' | 'deleteRunnerByName'>;

/** Where the runner of a runner clone is registered, from the clone's labels. Throws GithubApiError GITHUB_REJECTED. */
export const runnerScopeOf = (job: CloneJob, kind: 'repo' | 'org'): RunnerScope => {
  const labels = job.request.labels ?? {};
  const installationId = Number(labels[RUNNER_LABELS.installationId]);
  const [owner = '', repo = ''] = (labels[RUNNER_LABELS.repo] ?? '').split('/');
  if (!Number.isInteger(installationId) || installationId <= 0 || !owner || !repo) {
    throw new GithubApiError('GITHUB_REJECTED', `job ${job.jobId} lacks the GitHub installation or repository`);
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

/** The rule name a refused runner config carries (it is the runner pool configuration that decides). */
export const RUNNER_POOLS_RULE = 'runner-pools';

/**
 * A JIT config is a credential to a repository's jobs and secrets: it is minted only for a job that a verified
 * GitHub delivery of the installation in its labels created (or claimed: `requestedBy` is `github:<installation>`),
 * for a repository or organisation the runner pool allows. Throws AccessDeniedError otherwise.
 */
const assertMintable = (job: CloneJob, pool: RunnerPool): void => {
  const labels = job.request.labels ?? {};
  const installation = labels[RUNNER_LABELS.installationId];
  const fromDelivery = job.requestedBy?.kind === 'hook' && job.requestedBy.id === `github:${installation}`;
  if (!fromDelivery) {
    throw new AccessDeniedError(
      RUNNER_POOLS_RULE,
      'requestedBy',
      'only a verified GitHub delivery gets a runner config',
    );
  }
  const origin = { repository: labels[RUNNER_LABELS.repo] ?? '', installationId: Number(installation) };
  if (!poolAdmits(pool, origin)) {
    throw new AccessDeniedError(
      RUNNER_POOLS_RULE,
      'labels.github.repo',
      `runner pool ${pool.name} does not serve ${origin.repository} (installation ${installation})`,
    );
  }
};

/**
 * For runner clones (jobs labelled `github.pool`), a just-in-time runner configuration named `instaclone-<jobId>` and
 * registered with the pool's labels; `{}` for every other job. A name left registered by an earlier attempt
 * (GitHub answers 409/422) is deleted and the config generated again, once. Without a GitHub App (`github`
 * undefined) a runner clone is refused, so a misconfigured stage never boots runners that cannot register; a job
 * not created by a verified GitHub delivery for a repository the pool serves is refused without asking GitHub.
 * Rejects as the clones' GuestinfoResolver port says: with GuestConfigError, retryable when GitHub's failure is
 * (rate limit, GitHub down), its cause the GithubApiError or SecretUnavailableError behind it.
 */
export const makeRunnerGuestinfoResolver = ({
  pools,
  github,
}: {
  pools: RunnerPools;
  github: JitApi | undefined;
}): GuestinfoResolver => {
  const resolve = async (job: CloneJob, signal: AbortSignal | undefined): Promise<Record<string, string>> => {
    const poolName = job.request.labels?.[RUNNER_LABELS.pool];
    if (poolName === undefined) return {};
    if (!github) throw new SecretUnavailableError('GITHUB_APP_ID and its private key are not configured', false);
    const pool = poolByName(pools, poolName);
    if (!pool) throw new GithubApiError('GITHUB_REJECTED', `runner pool ${poolName} is not configured`);
    assertMintable(job, pool);
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
      const nameTaken = err instanceof GithubApiError && (err.upstreamStatus === 409 || err.upstreamStatus === 422);
      if (!nameTaken || !(await github.deleteRunnerByName(scope, name, signal))) throw err;
      return withConfig(await github.generateJitConfig(scope, request, signal));
    }
  };
  return async (job, { signal }) => {
    try {
      return await resolve(job, signal);
    } catch (err) {
      throw isAppError(err) ? new GuestConfigError(err.message, err.retryable, { cause: err }) : err;
    }
  };
};
