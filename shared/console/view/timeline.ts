import type { ConsoleJob } from './console-job.js';
import { between } from './format.js';

/**
 * One step of a job's timeline. `done`: it happened at `at`. `current`: the job is on its way there (`sincePreviousMs`
 * counts up). `later`: not reached. `skipped`: the job was destroyed before it got there (a DELETE while it was
 * queued or being made). `unrecorded`: a later step happened but this one has no timestamp (jobs from before the
 * timestamp existed, or a clone found by name instead of made).
 */
export type TimelineStep = {
  key: string;
  label: string;
  at?: string;
  /** From the previous step that happened (to now, for the current step). */
  sincePreviousMs?: number;
  state: 'done' | 'current' | 'later' | 'skipped' | 'unrecorded';
};

type StepSpec = { key: string; label: string; at: string | undefined; optional?: boolean };

const stepsFor = (job: ConsoleJob): StepSpec[] => {
  const failed = job.status === 'FAILED';
  return [
    { key: 'accepted', label: 'accepted', at: job.createdAt },
    { key: 'queued', label: 'queued', at: job.queuedAt },
    { key: 'started', label: 'taken by a worker', at: job.startedAt },
    { key: 'taskStarted', label: 'task started', at: job.taskStartedAt },
    { key: 'taskEnded', label: 'task ended', at: job.taskEndedAt },
    failed ? { key: 'failed', label: 'failed', at: job.updatedAt } : { key: 'ready', label: 'ready', at: job.readyAt },
    { key: 'claimed', label: 'claimed from its pool', at: job.claimedAt, optional: true },
    { key: 'configured', label: 'configured (late guestinfo)', at: job.configuredAt, optional: true },
    ...(failed ? [] : [{ key: 'destroyed', label: 'destroyed', at: job.destroyedAt }]),
  ].filter((step) => !step.optional || step.at !== undefined);
};

const MOVING = new Set(['QUEUED', 'RUNNING', 'DESTROYING']);

/** The steps accepted → queued → taken → task started → task ended → ready (or failed) → destroyed, with durations. */
export const timelineOf = (job: ConsoleJob, now: Date): TimelineStep[] => {
  const specs = stepsFor(job);
  const lastDone = specs.reduce((last, step, i) => (step.at !== undefined ? i : last), 0);
  const destroyedUnmade = !job.readyAt && (job.status === 'DESTROYING' || job.status === 'DESTROYED');
  let previous: string | undefined;
  return specs.map((spec, i): TimelineStep => {
    const base = { key: spec.key, label: spec.label };
    if (spec.at !== undefined) {
      const step: TimelineStep = { ...base, at: spec.at, state: 'done' };
      const since = between(previous, spec.at);
      previous = spec.at;
      return since === undefined ? step : { ...step, sincePreviousMs: since };
    }
    if (i < lastDone) return { ...base, state: destroyedUnmade ? 'skipped' : 'unrecorded' };
    if (i === lastDone + 1 && MOVING.has(job.status)) {
      const since = between(previous, now.toISOString());
      return { ...base, state: 'current', ...(since !== undefined && { sincePreviousMs: since }) };
    }
    return { ...base, state: 'later' };
  });
};
