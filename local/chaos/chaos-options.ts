import { parseArgs } from 'node:util';
import type { RetryPolicy } from '#shared/clones/model/retry-policy';

/** Knobs of a chaos run; `defaultChaosOptions` scales the timings with the job count. */
export type ChaosOptions = {
  jobs: number;
  /** Submissions are spread evenly over this window, so kills land while work is in flight. */
  submitSeconds: number;
  /** Worker (stack process) kills; half of them right after the simulator receives an InstantClone_Task. */
  kills: number;
  /** Clean whole-stack restarts (SIGTERM, then start on the same data folder). */
  restarts: number;
  /** Simulated InstantClone task time. */
  taskDurationMs: number;
  /** Source VMs to spread clones over (each takes at most 255 clones). */
  sources: number;
  sessionExpiryEveryMs: number;
  /** Inject the fault plan (about 10 % of vCenter calls). */
  faults: boolean;
  /** After the last submission, how long jobs may take to finish before the audit counts them stuck. */
  drainTimeoutMs: number;
  seed: number;
  /** Jobs DELETEd 150 ms after they were accepted (QUEUED or RUNNING then); they must end DESTROYED with no VM. */
  deletes: number;
  /** About one job in ten clones `/DC0/vm/chaos-golden` by path, destroyed and re-created halfway through. */
  goldenRefresh: boolean;
  /** One source VM answers InstantClone_Task with garbage all run long: its jobs must end FAILED, saying why. */
  garbageSource: boolean;
  /**
   * A vCenter outage this long (every call's connection reset) from a third of the submission window on; 0 for none.
   * One job in ten then has a 1-minute deadline, which the outage outlasts: they must end FAILED by it.
   */
  outageSeconds: number;
  /** The worker's retry policy; the deployed one (RETRY_POLICY) when absent. */
  retryPolicy?: RetryPolicy;
};

/** Defaults for `jobs` jobs: submissions at about 16 a second, 6 kills from 200 jobs up, 20 clones per source VM. */
export const defaultChaosOptions = (jobs = 1000): ChaosOptions => ({
  jobs,
  submitSeconds: Math.max(8, Math.round(jobs / 16)),
  kills: jobs >= 200 ? 6 : 2,
  restarts: 1,
  taskDurationMs: 300,
  sources: Math.max(4, Math.ceil(jobs / 50)),
  sessionExpiryEveryMs: 4_000,
  faults: true,
  // Room for a job that spends its whole retry budget (about 3.5 minutes) after the last submission.
  drainTimeoutMs: 300_000,
  seed: Date.now() % 2 ** 31,
  deletes: Math.max(2, Math.round(jobs / 25)),
  goldenRefresh: true,
  garbageSource: true,
  outageSeconds: jobs >= 200 ? 75 : 0,
});

/** `npm run chaos -- --help`. */
export const CHAOS_HELP = `Usage: npm run chaos -- [options]

Runs clone jobs through the local stack (in child processes, loopback only) while killing the worker, restarting the
stack, expiring vCenter sessions, injecting vCenter faults, DELETEing running jobs, refreshing a golden image,
answering garbage for one source and (from 200 jobs) taking vCenter down for longer than some jobs' deadline; then
audits and prints one JSON line whose lost, duplicate_vms, stuck, wrong_state, events_missing,
not_terminal_after_deadline and failed_without_reason must all be 0. Exit status 1 when they are not.

  --jobs N            jobs to submit (default 1000)
  --submit-seconds S  spread submissions over S seconds (default jobs/16, at least 8)
  --kills N           SIGKILLs of the worker's process (default 6, or 2 below 200 jobs)
  --restarts N        clean whole-stack restarts (default 1)
  --task-ms N         simulated task time (default 300)
  --no-faults         skip the injected vCenter faults
  --deletes N         jobs DELETEd right after they are accepted (default jobs/25, at least 2)
  --outage-seconds S  a vCenter outage of S seconds, outlasting 1-minute deadlines (default 75 from 200 jobs, else 0)
  --no-golden-refresh skip the golden image destroyed and re-created mid-run
  --no-garbage        skip the source that answers garbage
  --seed N            seed of the kill schedule (default: time; printed)
  -h, --help
`;

/** Parses `npm run chaos` arguments; throws an Error naming a bad flag. */
export function parseChaosArgs(argv: string[]): ChaosOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      jobs: { type: 'string' },
      'submit-seconds': { type: 'string' },
      kills: { type: 'string' },
      restarts: { type: 'string' },
      'task-ms': { type: 'string' },
      'no-faults': { type: 'boolean', default: false },
      deletes: { type: 'string' },
      'outage-seconds': { type: 'string' },
      'no-golden-refresh': { type: 'boolean', default: false },
      'no-garbage': { type: 'boolean', default: false },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const int = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
    return n;
  };
  const base = defaultChaosOptions(int('jobs', values.jobs) ?? 1000);
  return {
    ...base,
    submitSeconds: int('submit-seconds', values['submit-seconds']) ?? base.submitSeconds,
    kills: int('kills', values.kills) ?? base.kills,
    restarts: int('restarts', values.restarts) ?? base.restarts,
    taskDurationMs: int('task-ms', values['task-ms']) ?? base.taskDurationMs,
    faults: !values['no-faults'],
    deletes: int('deletes', values.deletes) ?? base.deletes,
    outageSeconds: int('outage-seconds', values['outage-seconds']) ?? base.outageSeconds,
    goldenRefresh: !values['no-golden-refresh'],
    garbageSource: !values['no-garbage'],
    seed: int('seed', values.seed) ?? base.seed,
  };
}
