import type { CloneJob } from '../model/clone-job.js';
import { guestinfoExtraConfig } from '../model/clone-request.js';
import type { ClonePlan, ObjectRef } from '../ports/vm-cloner.js';

/** extraConfig key that marks a VM as the clone of one job; reconciliation and destroy act only on VMs that carry it. */
export const JOB_ID_EXTRA_CONFIG_KEY = 'instaclone.jobId';

const objectRef = (placement: string | undefined): ObjectRef | undefined =>
  placement === undefined ? undefined : placement.startsWith('/') ? { path: placement } : { moref: placement };

const deviceRef = (d: { key?: number; label?: string }) =>
  d.key !== undefined ? { key: d.key } : { label: d.label ?? '' };

/**
 * The MAC the job holds for a NIC (a `range:<name>` NIC's allocated MAC); a manual MAC of a job stored before jobs
 * held their MACs is the request's own.
 */
const macOf = (job: CloneJob, nic: { key?: number; label?: string; mac?: string }): string | undefined =>
  job.macs?.find((m) => (nic.key !== undefined ? m.key === nic.key : m.label === nic.label))?.mac ?? nic.mac;

/** The plan is a pure function of the job, so every attempt asks vCenter for the same VM. */
export const clonePlanFor = (job: CloneJob): ClonePlan => {
  const r = job.request;
  const { folder, pool, datastore } = {
    folder: objectRef(r.folder),
    pool: objectRef(r.pool),
    datastore: objectRef(r.datastore),
  };
  return {
    source:
      r.source.path !== undefined
        ? { path: r.source.path }
        : r.source.moref !== undefined
          ? { moref: r.source.moref }
          : { name: r.source.name ?? '' },
    name: job.vmName,
    ...(folder && { folder }),
    ...(pool && { pool }),
    ...(datastore && { datastore }),
    nics: (r.nics ?? []).map((n) => ({
      ...deviceRef(n),
      ...(n.mac !== undefined && n.mac !== 'auto' && { mac: macOf(job, n) }),
      ...(n.network !== undefined && { network: n.network }),
      ...(n.connected !== undefined && { connected: n.connected }),
    })),
    serialPorts: (r.serialPorts ?? []).map((p) => ({ ...deviceRef(p), file: p.file })),
    parallelPorts: (r.parallelPorts ?? []).map((p) => ({ ...deviceRef(p), file: p.file })),
    extraConfig: { ...r.extraConfig, ...guestinfoExtraConfig(r.guestinfo), [JOB_ID_EXTRA_CONFIG_KEY]: job.jobId },
    ...(r.biosUuid !== undefined && { biosUuid: r.biosUuid }),
  };
};
