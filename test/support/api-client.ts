import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';

export type ApiAnswer = { status: number; json: Record<string, unknown> };

/** A tiny client for the local API, for integration tests. */
export const apiClient = (stack: LocalStack) => {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  /** Polls the job until `done` says so, or fails after `timeoutMs`. */
  const waitFor = async (
    jobId: string,
    done: (job: CloneJobView) => boolean,
    timeoutMs = 10_000,
  ): Promise<CloneJobView> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = (await call('GET', `/v1/clones/${jobId}`)).json as unknown as CloneJobView;
      if (done(job)) return job;
      if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const finished = (job: CloneJobView) => !['QUEUED', 'RUNNING'].includes(job.status);
  return { call, waitFor, waitForFinished: (jobId: string, timeoutMs?: number) => waitFor(jobId, finished, timeoutMs) };
};
