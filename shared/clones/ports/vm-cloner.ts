import type { ClonedNic, ClonedVm } from '../model/clone-job.js';

/** A vCenter object named by inventory path or by moref. */
export type ObjectRef = { path: string } | { moref: string };
/** A device of the source VM, by key (4000) or by label ("Network adapter 1"). */
export type DeviceRef = { key: number } | { label: string };

/** What the worker asks vCenter for: a fully resolved, deterministic clone plan. */
export type ClonePlan = {
  /** By path, moref, or by name within `folder`. */
  source: ObjectRef | { name: string };
  name: string;
  /** Target folder; the source VM's folder when absent. */
  folder?: ObjectRef;
  pool?: ObjectRef;
  datastore?: ObjectRef;
  nics: Array<DeviceRef & { mac?: string; network?: string; connected?: boolean }>;
  serialPorts: Array<DeviceRef & { file: string }>;
  parallelPorts: Array<DeviceRef & { file: string }>;
  /** Keys land verbatim in the clone's extraConfig (guestinfo.* and our own markers). */
  extraConfig: Record<string, string>;
  biosUuid?: string;
};

/**
 * A VM as vCenter reports it now, read in one RetrievePropertiesEx: what a clone is checked against (its NICs with
 * their labels, its whole extraConfig). Only {@link ClonedVm}'s fields are ever stored on a job.
 */
export type FoundVm = Omit<ClonedVm, 'nics' | 'ipAddress'> & {
  nics: Array<ClonedNic & { label?: string }>;
  extraConfig: Record<string, string>;
};

export type CloneTaskOutcome =
  | { state: 'running' }
  | { state: 'succeeded'; vm: FoundVm }
  | { state: 'failed'; error: unknown };

/**
 * How a VM is known to be a job's: its extraConfig marker (`key` = `value`), or the clone task that made it when it
 * carries no marker at all (`unmarked`: a VM marked for another job is that job's, whoever made it).
 */
export type VmOwner = { key: string; value: string } | { task: string; unmarked: string };

export type VmCallOptions = { signal?: AbortSignal; operationId?: string };
export type GuestIdentity = { ipAddress?: string; hostName?: string };

/**
 * The vCenter side of a clone. Failures reject with VcenterFaultError (typed, classified) or
 * VcenterUnavailableError (transport); a task that ends in error resolves as `failed` with that error.
 */
export interface VmCloner {
  /** The source VM's guest identity now (its IP is what a fresh clone reports until it re-identifies). */
  sourceIdentity(plan: ClonePlan, options: VmCallOptions): Promise<GuestIdentity>;
  /**
   * The VMs in vCenter's inventory whose NICs carry any of `macs` (lower case in the answer). Costs a scan of the
   * inventory's devices (one read per 500 VMs), so it is asked only for jobs that want particular MACs.
   */
  vmsWithMacs(
    macs: readonly string[],
    options: VmCallOptions,
  ): Promise<Array<{ mac: string; moref: string; name: string }>>;
  /** Starts InstantClone_Task and returns the task moref as soon as vCenter has it. */
  startClone(plan: ClonePlan, options: VmCallOptions): Promise<{ taskRef: string }>;
  /**
   * Waits for the task until `deadline` (epoch ms); `running` when it is still going then. A succeeded task comes
   * with its VM as vCenter reports it (one read, no more: the NICs and extraConfig the job's spec is checked against).
   */
  waitForClone(taskRef: string, options: VmCallOptions & { deadline: number }): Promise<CloneTaskOutcome>;
  /** The VM of that name in the plan's folder, with its extraConfig, or undefined. */
  findClone(plan: ClonePlan, options: VmCallOptions): Promise<FoundVm | undefined>;
  /** The clone's guest identity as VMware Tools reports it. */
  guestIdentity(vmRef: string, options: VmCallOptions): Promise<GuestIdentity>;
  /** Connects the clone's NICs (cloned disconnected) once its guest has re-identified itself. */
  reconnectNics(vmRef: string, nics: DeviceRef[], options: VmCallOptions & { deadline: number }): Promise<void>;
  /** The VM's extraConfig now, or undefined when no such VM exists any more. */
  readExtraConfig(vmRef: string, options: VmCallOptions): Promise<Record<string, string> | undefined>;
  /** Sets extraConfig keys on the (running) VM and waits until vCenter has applied them. */
  setExtraConfig(
    vmRef: string,
    values: Record<string, string>,
    options: VmCallOptions & { deadline: number },
  ): Promise<void>;
  /**
   * Powers off and destroys the VM, only if it is the job's: its extraConfig carries `owner.key = owner.value`, or
   * (`owner.task`) it is the result of that clone task and has no `owner.unmarked` key, for a clone whose marker
   * vCenter did not apply.
   * `gone` when no such VM exists any more; `foreign` when the moref now names someone else's VM (untouched).
   */
  destroyClone(
    vmRef: string,
    owner: VmOwner,
    options: VmCallOptions & { deadline: number },
  ): Promise<'destroyed' | 'gone' | 'foreign'>;
}
