import { ApiError, makeApiClient } from '../cli/api-client.js';
import { FollowTimeoutError, followJobs, makeProgress } from '../cli/follow-job.js';
import { describeApiError, STATE } from './clone-step.js';
import { type ActionsEnv, booleanInput, getIdToken, getState, type Log, makeLog } from './github-actions.js';

/** How long the post step follows the destroys before it leaves them to the service (they go on regardless). */
const DESTROY_WAIT_MS = 120_000;

/**
 * The action's post step, which the runner runs after the job's last step whether it succeeded, failed or was
 * cancelled (`post-if: always()`): destroys the clones the main step saved in its state (the service powers them off
 * and destroys them even if this step is cut short), unless `keep: true` leaves them to their TTL. Uses a fresh OIDC
 * token (the main step's may have expired). Resolves with the exit code: 0, or 1 with an `::error::` when the
 * service refused or failed to destroy. Never throws.
 */
export const runTeardownStep = async (
  env: ActionsEnv,
  out: NodeJS.WritableStream,
  log: Log = makeLog(out),
): Promise<number> => {
  const jobIds = getState(env, STATE.jobs).split(' ').filter(Boolean);
  if (jobIds.length === 0) {
    log.info('instaclone: no clone was requested; nothing to destroy');
    return 0;
  }
  try {
    if (booleanInput(env, 'keep')) {
      log.info(`instaclone: keep is true; ${jobIds.join(', ')} stay until their TTL ends`);
      return 0;
    }
    const token = await getIdToken(env, getState(env, STATE.audience) || 'instaclone');
    log.mask(token);
    const api = makeApiClient({ apiUrl: getState(env, STATE.apiUrl), token });
    for (const jobId of jobIds) await api.destroy(jobId);
    log.info(`instaclone: destroying ${jobIds.join(', ')}`);
    await followJobs(api, jobIds, { target: 'destroyed', timeoutMs: DESTROY_WAIT_MS, progress: makeProgress(out) });
    return 0;
  } catch (err) {
    if (err instanceof ApiError) log.error(`could not destroy ${jobIds.join(', ')}: ${describeApiError(err)}`);
    else if (err instanceof FollowTimeoutError)
      log.warning(`instaclone: the service is still destroying: ${err.message}`);
    else log.error(err instanceof Error ? err.message : String(err));
    return err instanceof FollowTimeoutError ? 0 : 1;
  }
};
