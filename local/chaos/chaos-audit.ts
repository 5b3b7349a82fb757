/** A job as the API shows it (the fields the audit reads). */
export type AuditedJob = {
  jobId: string;
  status: string;
  vm?: { moref: string };
  deadlineAt?: string;
  error?: { code?: string; message?: string };
};
/** A VM as the simulator shows it (the fields the audit reads). */
export type AuditedVm = { moref: string; name: string; powerState: string; extraConfig: Record<string, string> };
/** A line of events.ndjson (the fields the audit reads). */
export type AuditedEvent = { 'detail-type': string; detail: { jobId?: unknown } };

/** The figures a chaos run must bring to zero. */
export const ZERO_FIGURES = [
  'lost',
  'duplicate_vms',
  'stuck',
  'wrong_state',
  'events_missing',
  'not_terminal_after_deadline',
  'failed_without_reason',
] as const;
export type ZeroFigure = (typeof ZERO_FIGURES)[number];

/** The figures a chaos run must bring to zero, plus the evidence behind any that are not. */
export type ChaosAudit = Record<ZeroFigure, number> & {
  accepted: number;
  byStatus: Record<string, number>;
  /** Up to five job ids per non-zero figure, to start the investigation from. */
  examples: Record<string, Array<{ jobId: string; why: string }>>;
};
// What each figure counts:
// - lost: accepted (202) but unknown to the table;
// - duplicate_vms: for each job, the VMs carrying its id beyond the first;
// - stuck: still QUEUED, RUNNING or DESTROYING when the run ended;
// - wrong_state: the table and vCenter disagree (SUCCEEDED without its VM, FAILED or DESTROYED with a VM of the job);
// - events_missing: terminal jobs without an event of their outcome;
// - not_terminal_after_deadline: QUEUED or RUNNING past `deadlineAt` (the promise of issue 16);
// - failed_without_reason: FAILED without an error code and message.

const JOB_ID_KEY = 'instaclone.jobId';
const OUTCOME_EVENT: Record<string, string> = { SUCCEEDED: 'Clone Succeeded', FAILED: 'Clone Failed' };
const UNFINISHED = new Set(['QUEUED', 'RUNNING']);

/** Whether the job's own state contradicts the VMs vCenter holds for it; the reason when it does. */
const contradiction = (job: AuditedJob, own: readonly AuditedVm[]): string | undefined => {
  if (job.status === 'SUCCEEDED') {
    const vm = own.find((v) => v.moref === job.vm?.moref);
    if (!vm) return `SUCCEEDED with vm ${job.vm?.moref ?? 'none'}, not in vCenter with its job id`;
    if (vm.powerState !== 'poweredOn') return `SUCCEEDED but its VM is ${vm.powerState}`;
  }
  if ((job.status === 'FAILED' || job.status === 'DESTROYED') && own.length > 0)
    return `${job.status} but vCenter holds its VM ${own.map((v) => v.moref).join(', ')}`;
  return undefined;
};

/**
 * Audits what the service recorded against what vCenter holds and what was announced, at `now` (epoch ms; deadlines
 * are judged against it). `jobs` holds one entry per accepted job id, `undefined` when the API answered 404. Pure:
 * the caller gathers the three views.
 */
export function auditChaos(
  accepted: readonly string[],
  jobs: ReadonlyMap<string, AuditedJob | undefined>,
  vms: readonly AuditedVm[],
  events: readonly AuditedEvent[],
  now: number,
): ChaosAudit {
  const vmsByJob = new Map<string, AuditedVm[]>();
  for (const vm of vms) {
    const jobId = vm.extraConfig[JOB_ID_KEY];
    if (jobId !== undefined) vmsByJob.set(jobId, [...(vmsByJob.get(jobId) ?? []), vm]);
  }
  const announced = new Set(events.map((e) => `${String(e.detail.jobId)} ${e['detail-type']}`));
  const zeros = Object.fromEntries(ZERO_FIGURES.map((f) => [f, 0])) as Record<ZeroFigure, number>;
  const audit: ChaosAudit = { accepted: accepted.length, ...zeros, byStatus: {}, examples: {} };
  const flag = (figure: ZeroFigure, jobId: string, why: string, n = 1) => {
    audit[figure] += n;
    const list = audit.examples[figure] ?? [];
    if (list.length < 5) audit.examples[figure] = [...list, { jobId, why }];
  };
  for (const jobId of accepted) {
    const job = jobs.get(jobId);
    if (!job) {
      flag('lost', jobId, 'GET /v1/clones/{jobId} answered 404');
      continue;
    }
    audit.byStatus[job.status] = (audit.byStatus[job.status] ?? 0) + 1;
    const own = vmsByJob.get(jobId) ?? [];
    if (own.length > 1)
      flag('duplicate_vms', jobId, `${own.length} VMs: ${own.map((v) => v.moref).join(', ')}`, own.length - 1);
    if (UNFINISHED.has(job.status) || job.status === 'DESTROYING')
      flag('stuck', jobId, `${job.status}; its VMs in vCenter: [${own.map((v) => v.moref).join(', ')}]`);
    if (UNFINISHED.has(job.status) && job.deadlineAt !== undefined && Date.parse(job.deadlineAt) < now)
      flag(
        'not_terminal_after_deadline',
        jobId,
        `${job.status} ${now - Date.parse(job.deadlineAt)} ms past its deadline`,
      );
    const wrong = contradiction(job, own);
    if (wrong) flag('wrong_state', jobId, wrong);
    if (job.status === 'FAILED' && !(job.error?.code && job.error.message))
      flag('failed_without_reason', jobId, `FAILED with error ${JSON.stringify(job.error ?? null)}`);
    const expected = OUTCOME_EVENT[job.status];
    if (expected && !announced.has(`${jobId} ${expected}`)) flag('events_missing', jobId, `no ${expected} event`);
  }
  return audit;
}
