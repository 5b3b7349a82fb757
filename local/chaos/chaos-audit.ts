/** A job as the API shows it (the fields the audit reads). */
export type AuditedJob = { jobId: string; status: string; vm?: { moref: string } };
/** A VM as the simulator shows it (the fields the audit reads). */
export type AuditedVm = { moref: string; name: string; powerState: string; extraConfig: Record<string, string> };
/** A line of events.ndjson (the fields the audit reads). */
export type AuditedEvent = { 'detail-type': string; detail: { jobId?: unknown } };

/** The five figures a chaos run must bring to zero, plus the evidence behind any that are not. */
export type ChaosAudit = {
  accepted: number;
  /** Accepted (202) but unknown to the table. */
  lost: number;
  /** Extra VMs: for each job, the VMs carrying its id beyond the first. */
  duplicate_vms: number;
  /** Still QUEUED or RUNNING when the run ended. */
  stuck: number;
  /** The table and vCenter disagree: SUCCEEDED without its VM (or another VM), FAILED with a VM of the job. */
  wrong_state: number;
  /** Terminal jobs without an event of their outcome. */
  events_missing: number;
  byStatus: Record<string, number>;
  /** Up to five job ids per non-zero figure, to start the investigation from. */
  examples: Record<string, Array<{ jobId: string; why: string }>>;
};

const JOB_ID_KEY = 'instaclone.jobId';
const OUTCOME_EVENT: Record<string, string> = { SUCCEEDED: 'Clone Succeeded', FAILED: 'Clone Failed' };

/**
 * Audits what the service recorded against what vCenter holds and what was announced. `jobs` holds one entry per
 * accepted job id, `undefined` when the API answered 404. Pure: the caller gathers the three views.
 */
export function auditChaos(
  accepted: readonly string[],
  jobs: ReadonlyMap<string, AuditedJob | undefined>,
  vms: readonly AuditedVm[],
  events: readonly AuditedEvent[],
): ChaosAudit {
  const vmsByJob = new Map<string, AuditedVm[]>();
  for (const vm of vms) {
    const jobId = vm.extraConfig[JOB_ID_KEY];
    if (jobId !== undefined) vmsByJob.set(jobId, [...(vmsByJob.get(jobId) ?? []), vm]);
  }
  const announced = new Set(events.map((e) => `${String(e.detail.jobId)} ${e['detail-type']}`));
  const audit: ChaosAudit = {
    accepted: accepted.length,
    lost: 0,
    duplicate_vms: 0,
    stuck: 0,
    wrong_state: 0,
    events_missing: 0,
    byStatus: {},
    examples: {},
  };
  const flag = (
    figure: 'lost' | 'duplicate_vms' | 'stuck' | 'wrong_state' | 'events_missing',
    jobId: string,
    why: string,
    n = 1,
  ) => {
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
    if (job.status === 'QUEUED' || job.status === 'RUNNING') {
      flag('stuck', jobId, `${job.status}; its VMs in vCenter: [${own.map((v) => v.moref).join(', ')}]`);
    }
    if (job.status === 'SUCCEEDED') {
      const vm = own.find((v) => v.moref === job.vm?.moref);
      if (!vm)
        flag('wrong_state', jobId, `SUCCEEDED with vm ${job.vm?.moref ?? 'none'}, not in vCenter with its job id`);
      else if (vm.powerState !== 'poweredOn') flag('wrong_state', jobId, `SUCCEEDED but its VM is ${vm.powerState}`);
    }
    if (job.status === 'FAILED' && own.length > 0) {
      flag('wrong_state', jobId, `FAILED but vCenter holds its VM ${own.map((v) => v.moref).join(', ')}`);
    }
    const expected = OUTCOME_EVENT[job.status];
    if (expected && !announced.has(`${jobId} ${expected}`)) flag('events_missing', jobId, `no ${expected} event`);
  }
  return audit;
}
