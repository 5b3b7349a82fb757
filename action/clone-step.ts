import { ApiError, type JobView, makeApiClient } from '../cli/api-client.js';
import { pairs, sourceOf, type UsageError } from '../cli/clone-flags.js';
import { FollowTimeoutError, followJobs, makeProgress } from '../cli/follow-job.js';
import {
  ActionInputError,
  type ActionsEnv,
  getIdToken,
  input,
  type Log,
  makeLog,
  saveState,
  setOutput,
} from './github-actions.js';

/** The post step reads these back: which jobs to destroy, and how to reach the API. */
export const STATE = { jobs: 'instaclone-jobs', apiUrl: 'instaclone-api-url', audience: 'instaclone-audience' };

const positive = (name: string, text: string): number | undefined => {
  if (!text) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new ActionInputError(`input ${name} is a whole number ≥ 1, got "${text}"`);
  return Number(text);
};

/** The clone request the inputs describe. Throws ActionInputError for inputs the API would refuse anyway. */
export const requestFromInputs = (env: ActionsEnv): Record<string, unknown> => {
  const source = input(env, 'source');
  if (!source)
    throw new ActionInputError('input source is required (an inventory path such as /DC0/vm/golden, or a moref)');
  const name = input(env, 'name');
  const count = positive('count', input(env, 'count'));
  if (name && count !== undefined && count > 1)
    throw new ActionInputError('give input name or a count above 1, not both');
  const waitFor = input(env, 'wait-for') || 'ip';
  if (waitFor !== 'task' && waitFor !== 'ip')
    throw new ActionInputError(`input wait-for is task or ip, got "${waitFor}"`);
  let labels: Record<string, string> | undefined;
  try {
    labels = pairs(
      'label',
      input(env, 'labels')
        .split(/[\n,]/)
        .map((l) => l.trim())
        .filter(Boolean),
    );
  } catch (err) {
    throw new ActionInputError(`input labels: ${(err as UsageError).message} (one key=value per line or comma)`);
  }
  return {
    source: sourceOf(source),
    ...(name && { name }),
    ...(count !== undefined && { count }),
    ...(labels && { labels }),
    waitFor,
    ttlMinutes: positive('ttl', input(env, 'ttl')) ?? 60,
  };
};

/** Jobs and the outputs the workflow reads: the first clone's, and all of them as JSON. */
const setOutputs = (env: ActionsEnv, jobs: JobView[]) => {
  const [first] = jobs;
  setOutput(env, 'job-id', first?.jobId ?? '');
  setOutput(env, 'vm-name', first?.vm?.name ?? first?.vmName ?? '');
  setOutput(env, 'moref', first?.vm?.moref ?? '');
  setOutput(env, 'ip', first?.vm?.ipAddress ?? '');
  const all = jobs.map((j) => ({
    jobId: j.jobId,
    vmName: j.vm?.name ?? j.vmName,
    moref: j.vm?.moref,
    ip: j.vm?.ipAddress,
  }));
  setOutput(env, 'jobs', JSON.stringify(all));
};

/** The API's error as the workflow's log shows it: status, code, message and each field. */
export const describeApiError = (err: ApiError): string =>
  `the instaclone API answered ${err.status} ${err.code}: ${err.message}${err.details.map((d) => `\n  ${d.field}: ${d.message}`).join('')}`;

/**
 * The action's main step: asks GitHub for the job's OIDC token, submits the clone, saves its job ids for the post
 * step at once (so a cancelled job is still cleaned up), follows the job(s) with a log line per change and sets
 * the outputs. Resolves with the exit code: 0, or 1 with an `::error::` saying why (a refused or failed clone, an
 * input to fix, the missing `id-token` permission). Never throws.
 */
export const runCloneStep = async (
  env: ActionsEnv,
  out: NodeJS.WritableStream,
  log: Log = makeLog(out),
): Promise<number> => {
  try {
    const apiUrl = input(env, 'api-url');
    if (!apiUrl)
      throw new ActionInputError('input api-url is required (the instaclone API, e.g. https://instaclone.example.com)');
    const request = requestFromInputs(env);
    const audience = input(env, 'audience') || 'instaclone';
    const token = await getIdToken(env, audience);
    log.mask(token);
    saveState(env, STATE.apiUrl, apiUrl);
    saveState(env, STATE.audience, audience);
    const api = makeApiClient({ apiUrl, token });
    const answer = await api.submit(request);
    const submitted = 'jobs' in answer ? answer.jobs : [answer];
    saveState(env, STATE.jobs, submitted.map((j) => j.jobId).join(' '));
    log.info(
      `instaclone: ${submitted.map((j) => `${j.jobId} (${j.vmName})`).join(', ')} queued; waiting for ${String(request.waitFor)}`,
    );
    const jobs = await followJobs(
      api,
      submitted.map((j) => j.jobId),
      {
        target: 'finished',
        timeoutMs: (positive('timeout-minutes', input(env, 'timeout-minutes')) ?? 20) * 60_000,
        progress: makeProgress(out),
      },
    );
    setOutputs(env, jobs);
    const failed = jobs.filter((j) => j.status !== 'SUCCEEDED');
    for (const job of failed) {
      const error = job.error;
      log.error(
        `clone ${job.jobId} ${job.status}${error ? `: ${error.code}${error.fault ? ` ${error.fault}` : ''}: ${error.message}` : ''}`,
      );
    }
    if (failed.length > 0) return 1;
    for (const job of jobs)
      log.info(`instaclone: ${job.vm?.name ?? job.vmName} ${job.vm?.moref ?? ''} ${job.vm?.ipAddress ?? ''}`.trimEnd());
    return 0;
  } catch (err) {
    if (err instanceof ApiError) log.error(describeApiError(err));
    else if (err instanceof FollowTimeoutError) log.error(`instaclone: timed out; ${err.message}`);
    else log.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
};
