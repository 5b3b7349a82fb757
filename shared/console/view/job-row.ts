import { type ConsoleJob, requesterOf } from './console-job.js';
import { between, formatAge, formatDuration, labelTexts, sourceText } from './format.js';

/** One line of the jobs table, as text. */
export type JobRow = {
  jobId: string;
  status: ConsoleJob['status'];
  name: string;
  source: string;
  requestedBy?: string;
  labels: string[];
  age: string;
  /** Accepted → taken by a worker (`… so far` while it waits). */
  queueTime: string;
  /** InstantClone_Task created → ended (`… so far` while it runs). */
  taskTime: string;
  ip: string;
};

const soFar = (from: string, now: Date) => `${formatDuration(now.getTime() - Date.parse(from))} so far`;

const queueTimeOf = (job: ConsoleJob, now: Date): string => {
  const left = job.startedAt ?? job.taskStartedAt;
  if (left) return formatDuration(between(job.createdAt, left));
  return job.status === 'QUEUED' ? soFar(job.createdAt, now) : '—';
};

const taskTimeOf = (job: ConsoleJob, now: Date): string => {
  if (!job.taskStartedAt) return '—';
  if (job.taskEndedAt) return formatDuration(between(job.taskStartedAt, job.taskEndedAt));
  return job.status === 'RUNNING' ? soFar(job.taskStartedAt, now) : '—';
};

/** The table's view of `job` at `now`. */
export const toJobRow = (job: ConsoleJob, now: Date): JobRow => {
  const requestedBy = requesterOf(job);
  return {
    jobId: job.jobId,
    status: job.status,
    name: job.vm?.name ?? job.vmName,
    source: sourceText(job.request.source),
    ...(requestedBy !== undefined && { requestedBy }),
    labels: labelTexts(job.labels),
    age: formatAge(job.createdAt, now),
    queueTime: queueTimeOf(job, now),
    taskTime: taskTimeOf(job, now),
    ip: job.vm?.ipAddress ?? '—',
  };
};

/** Show the "who asked" column only when the API says who asked for at least one job. */
export const showsRequester = (rows: readonly JobRow[]): boolean => rows.some((row) => row.requestedBy !== undefined);
