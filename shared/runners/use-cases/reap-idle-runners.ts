import type { CloneJob } from '../../clones/model/clone-job.js';
import type { JobRepository } from '../../clones/ports/job-repository.js';
import { isAppError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import { RUNNER_LABELS, runnerNameFor } from '../model/github-webhook.js';
import { poolByName, type RunnerPools } from '../model/runner-pools.js';
import type { GithubRunners } from '../ports/github-runners.js';
import { runnerScopeOf } from './runner-guestinfo.js';

export type ReapIdleRunnersDeps = {
  pools: RunnerPools;
  jobs: Pick<JobRepository, 'listByStatus'>;
  github: Pick<GithubRunners, 'findRunnerByName' | 'deleteRunner'>;
  requestDestroy: (jobId: string) => Promise<CloneJob>;
  clock: Clock;
};

export type ReapedRunner = { jobId: string; reason: 'idle' | 'never registered' };

const PAGE = 100;

/** GitHub refused or failed, or the App's key is missing: skip the clone and look again next run. */
const isGithubFailure = (err: unknown): boolean =>
  isAppError(err) && (err.code.startsWith('GITHUB_') || err.code === 'SECRET_UNAVAILABLE');

/**
 * The orphan reaper for GitHub runner clones (run it on a schedule, e.g. with the lease reaper):
 * 1. every SUCCEEDED runner clone (label `github.pool`) ready (a warm spare: configured) for longer than its pool's
 *    `idleMinutes`;
 * 2. whose runner GitHub does not list (it never came online) or lists as not busy;
 * 3. is unregistered first (so GitHub cannot hand it a job any more; GitHub refuses while a job runs, and such a
 *    runner is skipped), then destroyed.
 * A runner busy with a job is never touched: the `completed` webhook destroys it. Resolves with what it reaped;
 * GitHub errors for one clone skip that clone (it is looked at again next run).
 */
export const makeReapIdleRunners =
  ({ pools, jobs, github, requestDestroy, clock }: ReapIdleRunnersDeps) =>
  async (signal?: AbortSignal): Promise<ReapedRunner[]> => {
    const now = clock.now().getTime();
    const reaped: ReapedRunner[] = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.listByStatus('SUCCEEDED', { limit: PAGE, ...(cursor !== undefined && { cursor }) });
      cursor = page.cursor;
      for (const job of page.jobs) {
        const pool = poolByName(pools, job.request.labels?.[RUNNER_LABELS.pool]);
        // A warm spare may have waited long before its claim: its runner's time starts with its JIT config, or,
        // while that is still being fetched, with the job it was claimed for.
        const labels = job.request.labels ?? {};
        const warmSince = labels[RUNNER_LABELS.warm] === undefined ? undefined : labels[RUNNER_LABELS.queuedAt];
        const since = Date.parse(job.configuredAt ?? warmSince ?? job.readyAt ?? job.updatedAt);
        if (!pool || now - since < pool.idleMinutes * 60_000) continue;
        try {
          const scope = runnerScopeOf(job, pool.scope);
          const runner = await github.findRunnerByName(scope, runnerNameFor(job.jobId), signal);
          if (runner?.busy) continue;
          if (runner) await github.deleteRunner(scope, runner.id, signal);
          await requestDestroy(job.jobId);
          reaped.push({ jobId: job.jobId, reason: runner ? 'idle' : 'never registered' });
        } catch (err) {
          if (!isGithubFailure(err)) throw err;
        }
      }
    } while (cursor !== undefined);
    return reaped;
  };
