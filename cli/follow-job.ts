import type { ApiClient, JobView } from './api-client.js';

export type FollowTarget = 'finished' | 'destroyed';

const done = (job: JobView, target: FollowTarget): boolean =>
  target === 'destroyed'
    ? job.status === 'DESTROYED' || job.status === 'FAILED'
    : !['QUEUED', 'RUNNING'].includes(job.status);

/**
 * What a job is doing, in one line: its status and, while it is retried, the attempt, when the next one starts and
 * what the last one failed with, e.g. `RUNNING attempt 1, next at 12:00:02Z after VCENTER_UNAVAILABLE: …`.
 */
export const jobLine = (job: JobView): string => {
  const unfinished = job.status === 'QUEUED' || job.status === 'RUNNING';
  const last = unfinished ? job.lastError : undefined;
  const details: string[] = [];
  if (job.attempts !== undefined && (job.attempts > 1 || last)) details.push(`attempt ${job.attempts}`);
  if (unfinished && job.nextAttemptAt) details.push(`next at ${job.nextAttemptAt.replace(/\.\d+Z$/, 'Z')}`);
  const head = details.length > 0 ? `${job.status} ${details.join(', ')}` : job.status;
  return last ? `${head} after ${last.code}${last.fault ? ` ${last.fault}` : ''}: ${last.message}` : head;
};

/** Where progress goes: a TTY gets one line redrawn in place, anything else one plain line per change. */
export type Progress = { update(job: JobView, elapsedMs: number): void; end(): void };

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const makeProgress = (stream: NodeJS.WriteStream | NodeJS.WritableStream, quiet = false): Progress => {
  if (quiet) return { update: () => {}, end: () => {} };
  const tty = 'isTTY' in stream && stream.isTTY === true;
  let frame = 0;
  const lastLine = new Map<string, string>();
  return {
    update: (job, elapsedMs) => {
      const seconds = (elapsedMs / 1000).toFixed(1);
      const line = jobLine(job);
      if (tty) {
        // One terminal line: the status and attempt, cut to fit.
        const text = `${FRAMES[frame++ % FRAMES.length]} ${job.jobId} ${line}`.slice(0, 160);
        stream.write(`\r\x1b[2K${text} ${seconds} s`);
      } else if (lastLine.get(job.jobId) !== line) {
        stream.write(`${new Date().toISOString()} ${job.jobId} ${line}\n`);
      }
      lastLine.set(job.jobId, line);
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
