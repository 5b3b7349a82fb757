import type { ApiClient, JobView } from './api-client.js';

export type FollowTarget = 'finished' | 'destroyed';

const done = (job: JobView, target: FollowTarget): boolean =>
  target === 'destroyed'
    ? job.status === 'DESTROYED' || job.status === 'FAILED'
    : !['QUEUED', 'RUNNING'].includes(job.status);

/** Where progress goes: a TTY gets one line redrawn in place, anything else one plain line per change. */
export type Progress = { update(job: JobView, elapsedMs: number): void; end(): void };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const makeProgress = (stream: NodeJS.WriteStream | NodeJS.WritableStream, quiet = false): Progress => {
  if (quiet) return { update: () => {}, end: () => {} };
  const tty = 'isTTY' in stream && stream.isTTY === true;
  let frame = 0;
  const lastStatus = new Map<string, string>();
  return {
    update: (job, elapsedMs) => {
      const seconds = (elapsedMs / 1000).toFixed(1);
      if (tty) {
        stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${job.jobId} ${job.status} ${seconds} s`);
      } else if (lastStatus.get(job.jobId) !== job.status) {
        stream.write(`${new Date().toISOString()} ${job.jobId} ${job.status}\n`);
      }
      lastStatus.set(job.jobId, job.status);
    },
    end: () => {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
};

/** Polling bounds: the first wait is short (clones take about a second), then it backs off to `maxIntervalMs`. */
export type FollowOptions = {
  target: FollowTarget;
  timeoutMs: number;
  intervalMs?: number;
  maxIntervalMs?: number;
  progress: Progress;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

/** Thrown when the jobs were not done within the timeout; carries their last seen state. */
export class FollowTimeoutError extends Error {
  constructor(readonly jobs: JobView[]) {
    super(`still not done: ${jobs.map((j) => `${j.jobId} ${j.status}`).join(', ')}`);
  }
}

/**
 * Polls each job until it is finished (SUCCEEDED/FAILED/…) or destroyed, showing progress. Resolves with the
 * jobs in their final state; rejects with FollowTimeoutError after `timeoutMs`, or ApiError when the API fails.
 */
export const followJobs = async (api: ApiClient, jobIds: string[], options: FollowOptions): Promise<JobView[]> => {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const start = now();
  let interval = options.intervalMs ?? 200;
  const latest = new Map<string, JobView>();
  try {
    for (;;) {
      const pending = jobIds.filter((id) => !latest.has(id) || !done(latest.get(id) as JobView, options.target));
      for (const job of await Promise.all(pending.map((id) => api.get(id)))) {
        latest.set(job.jobId, job);
        options.progress.update(job, now() - start);
      }
      const jobs = jobIds.map((id) => latest.get(id) as JobView);
      if (jobs.every((j) => done(j, options.target))) return jobs;
      if (now() - start >= options.timeoutMs) throw new FollowTimeoutError(jobs);
      await sleep(interval);
      interval = Math.min(options.maxIntervalMs ?? 2_000, Math.round(interval * 1.5));
    }
  } finally {
    options.progress.end();
  }
};
