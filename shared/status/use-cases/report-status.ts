import type { Principal } from '../../access/model/principal.js';
import { isAppError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import type { OldestUnfinished, StatusReport, VcenterStatus } from '../model/status-report.js';
import type { JobCensus, QueueDepths, VcenterProbe } from '../ports/status-probes.js';

export type ReportStatusDeps = {
  vcenter: VcenterProbe;
  queues: QueueDepths;
  census: JobCensus;
  clock: Clock;
  /** The policy's enforcement point: the status is the operators' (`admin` once a policy exists). */
  access: { authorize(principal: Principal, action: 'admin', resource: undefined): void };
};

/**
 * A probe of vCenter that never rejects: a failure, or `signal` aborting first (the caller's time bound), is reported
 * with its code and message.
 */
export const makeProbeVcenter =
  ({ vcenter, clock }: Pick<ReportStatusDeps, 'vcenter' | 'clock'>) =>
  async (signal: AbortSignal): Promise<VcenterStatus> => {
    const started = clock.now().getTime();
    const latency = () => Math.max(0, clock.now().getTime() - started);
    try {
      const about = await vcenter.check({ signal });
      return { status: 'ok', latencyMs: latency(), ...about };
    } catch (err) {
      const fault = (err as { faultType?: unknown }).faultType;
      const error = isAppError(err)
        ? { code: err.code, ...(typeof fault === 'string' && { fault }), message: err.message }
        : { code: 'VCENTER_UNAVAILABLE', message: err instanceof Error ? err.message : String(err) };
      return { status: 'error', latencyMs: latency(), error };
    }
  };

/**
 * `GET /v1/status`: vCenter (a login and one call, until `signal` aborts), the queue and DLQ depths,
 * jobs per status and the oldest unfinished job's age, read at once. Throws AccessDeniedError (403) when a policy
 * exists and does not make `principal` an admin; rejects when SQS or the table fail (a vCenter failure is reported,
 * not thrown: saying it is the status's job).
 */
export const makeReportStatus = (deps: ReportStatusDeps) => {
  const probeVcenter = makeProbeVcenter(deps);
  return async (principal: Principal, { signal }: { signal: AbortSignal }): Promise<StatusReport> => {
    deps.access.authorize(principal, 'admin', undefined);
    const [vcenter, depths, byStatus, oldest] = await Promise.all([
      probeVcenter(signal),
      deps.queues.depths(),
      deps.census.countByStatus(),
      deps.census.oldestIn(['QUEUED', 'RUNNING']),
    ]);
    const now = deps.clock.now();
    const [first] = oldest.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const oldestUnfinished: OldestUnfinished | undefined = first && {
      jobId: first.jobId,
      status: first.status === 'QUEUED' ? 'QUEUED' : 'RUNNING',
      createdAt: first.createdAt,
      ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(first.createdAt)) / 1000)),
    };
    return {
      version: '1',
      at: now.toISOString(),
      vcenter,
      ...depths,
      jobs: { byStatus, ...(oldestUnfinished && { oldestUnfinished }) },
    };
  };
};
export type ReportStatus = ReturnType<typeof makeReportStatus>;
