import type { ClonedVm } from '../domain/clone-job.js';

/** What the worker asks vCenter for: a fully resolved, deterministic clone plan. */
export type ClonePlan = {
  source: { path: string } | { moref: string };
  name: string;
  /** Inventory path of the target folder; the source's datacenter VM folder when absent. */
  folder?: string;
  nics: Array<{ key: number; mac?: string }>;
  /** Keys land verbatim in the clone's extraConfig (guestinfo.* and our own markers). */
  extraConfig: Record<string, string>;
};

export type CloneTaskOutcome =
  | { state: 'running' }
  | { state: 'succeeded'; vm: ClonedVm }
  | { state: 'failed'; error: unknown };

export type VmCallOptions = { signal?: AbortSignal; operationId?: string };

/**
 * The vCenter side of a clone. Failures reject with VcenterFaultError (typed, classified) or
 * VcenterUnavailableError (transport); a task that ends in error resolves as `failed` with that error.
 */
export interface VmCloner {
  /** Starts InstantClone_Task and returns the task moref as soon as vCenter has it. */
  startClone(plan: ClonePlan, options: VmCallOptions): Promise<{ taskRef: string }>;
  /** Waits for the task until `deadline` (epoch ms); `running` when it is still going then. */
  waitForClone(taskRef: string, options: VmCallOptions & { deadline: number }): Promise<CloneTaskOutcome>;
  /** The VM of that name in the plan's folder, with its extraConfig, or undefined. */
  findClone(
    plan: ClonePlan,
    options: VmCallOptions,
  ): Promise<(ClonedVm & { extraConfig: Record<string, string> }) | undefined>;
}
