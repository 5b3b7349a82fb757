import { VcenterFaultError, VcenterUnavailableError } from '../../errors/app-error.js';
import {
  InventoryCache,
  type InventoryCacheOptions,
  type InventoryLookups,
  isFault,
  type MoRef,
  type VimClient,
  VimFaultError,
  VimTransportError,
  type VmFacts,
} from '../../vsphere/index.js';
import type {
  ClonePlan,
  CloneTaskOutcome,
  DeviceRef,
  FoundVm,
  GuestIdentity,
  VmCallOptions,
  VmCloner,
  VmOwner,
} from '../ports/vm-cloner.js';
import { withAdvice } from './vcenter-advice.js';
import { buildInstantCloneSpec, placementRef } from './vsphere-clone-spec.js';

/**
 * Maps the vim25 client's errors onto the domain's, keeping the vSphere fault type, its fields and (for a non-SOAP
 * answer) vCenter's HTTP status, with the fix appended where one is known (`adviceFor`). The one place a vCenter fault is translated: everything past this adapter sees
 * only AppErrors.
 */
export const toDomainError = (err: unknown): unknown => {
  if (err instanceof VimFaultError) {
    const message = withAdvice(err.message, err);
    return new VcenterFaultError(err.faultType, message, err.classification, err.fields, { cause: err });
  }
  if (err instanceof VimTransportError) {
    // An untrusted certificate stays untrusted until an operator acts: fail at once, saying what to set.
    return new VcenterUnavailableError(withAdvice(err.message, err), {
      cause: err,
      ...(err.kind === 'tls' && { retryable: false }),
      ...(err.status !== undefined && { upstreamStatus: err.status }),
    });
  }
  return err;
};

const toFoundVm = (facts: VmFacts): FoundVm => ({
  moref: facts.moref.value,
  name: facts.name,
  nics: facts.nics.map((n) => ({ key: n.key, mac: n.macAddress, addressType: n.addressType, label: n.label })),
  extraConfig: facts.extraConfig,
});

const notFound = (what: string, path: string) =>
  new VcenterFaultError('ManagedObjectNotFound', `${what} ${path} was not found in vCenter`, 'terminal', { path });

const vmRef = (value: string): MoRef<'VirtualMachine'> => ({ type: 'VirtualMachine', value });

/** vSphere fails an instant clone of a running source at 255 delta disks; refuse a little before, with advice. */
export const DELTA_CHAIN_REFUSE_AT = 250;

const refuseNearChainLimit = (facts: VmFacts): void => {
  const depth = facts.diskChainDepth;
  if (facts.frozen || depth === undefined || depth < DELTA_CHAIN_REFUSE_AT) return;
  throw new VcenterFaultError(
    'DeltaDiskChainLimit',
    `Source VM ${facts.name} has a delta-disk chain of ${depth} (vSphere's limit is 255): freeze the source ` +
      '(vmware-rpctool "instantclone.freeze") or power-cycle it to consolidate its disks, then retry',
    'terminal',
    { depth, limit: 255 },
  );
};

/** Runs `work` and maps whatever it throws onto the domain's errors. */
const mapped = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    throw toDomainError(err);
  }
};

/**
 * VmCloner on the vim25 client. Inventory lookups (source VM and its facts, folders, pools, networks) go through
 * one {@link InventoryCache} per adapter (so per warm worker): each saved round trip matters on a busy vCenter,
 * and work that fails on a stale answer (a golden image destroyed and re-created) is repeated once with fresh
 * ones. Unless the plan names a folder, the clone lands in its source VM's folder, so a retry always looks in the
 * same place.
 */
export class VsphereVmCloner implements VmCloner {
  private readonly cache: InventoryCache;

  constructor(
    private readonly vim: VimClient,
    cacheOptions: InventoryCacheOptions = {},
  ) {
    this.cache = new InventoryCache(vim, cacheOptions);
  }

  sourceIdentity(plan: ClonePlan, options: VmCallOptions): Promise<GuestIdentity> {
    return this.withLookups(async (at) => (await this.vim.getVm(await at.source(plan), options)).guest, options);
  }

  vmsWithMacs(macs: readonly string[], options: VmCallOptions) {
    return mapped(async () =>
      (await this.vim.findVmsWithMacs(macs, options)).map((h) => ({ mac: h.mac, moref: h.vm.value, name: h.name })),
    );
  }

  startClone(plan: ClonePlan, options: VmCallOptions): Promise<{ taskRef: string }> {
    return this.withLookups(async (at) => {
      const facts = await at.sourceFacts(plan);
      refuseNearChainLimit(facts);
      const spec = await buildInstantCloneSpec(plan, facts, await at.folder(plan), {
        resolve: (path, type) => at.resolve(path, type),
        network: (ref) => at.lookups.network(ref, options),
      });
      return { taskRef: (await this.vim.instantClone(facts, spec, options)).value };
    }, options);
  }

  waitForClone(taskRef: string, options: VmCallOptions & { deadline: number }): Promise<CloneTaskOutcome> {
    return mapped(async () => {
      const info = await this.vim.waitForTask({ type: 'Task', value: taskRef }, options);
      if (info.state === 'queued' || info.state === 'running') return { state: 'running' };
      if (info.state === 'error') return { state: 'failed', error: toDomainError(info.error) };
      if (!info.result)
        throw new VcenterFaultError('InvalidResponse', `Task ${taskRef} succeeded without a VM`, 'terminal');
      // The same read that gives the VM's NICs gives its extraConfig: the spec is checked without another trip.
      return { state: 'succeeded', vm: toFoundVm(await this.vim.getVm(vmRef(info.result.value), options)) };
    });
  }

  findClone(plan: ClonePlan, options: VmCallOptions): Promise<FoundVm | undefined> {
    return this.withLookups(async (at) => {
      // The clone's own name is never cached: reconciliation must see the VM as it is now.
      const found = await this.vim.findChild(await at.folder(plan), plan.name, options);
      if (found?.type !== 'VirtualMachine') return undefined;
      return toFoundVm(await this.vim.getVm(vmRef(found.value), options));
    }, options);
  }

  guestIdentity(vm: string, options: VmCallOptions): Promise<GuestIdentity> {
    return mapped(async () => (await this.vim.getVm(vmRef(vm), options)).guest);
  }

  reconnectNics(vm: string, nics: DeviceRef[], options: VmCallOptions & { deadline: number }): Promise<void> {
    return mapped(async () => {
      const facts = await this.vim.getVm(vmRef(vm), options);
      for (const ref of nics) {
        const nic = facts.nics.find((n) => ('key' in ref ? n.key === ref.key : n.label === ref.label));
        if (!nic || nic.connected) continue;
        await this.completed(await this.vim.reconnectNic(facts.moref, nic.key, options), options);
      }
    });
  }

  readExtraConfig(vm: string, options: VmCallOptions): Promise<Record<string, string> | undefined> {
    return mapped(async () => {
      try {
        return (await this.vim.getVm(vmRef(vm), options)).extraConfig;
      } catch (err) {
        if (isFault(err, 'ManagedObjectNotFound')) return undefined;
        throw err;
      }
    });
  }

  setExtraConfig(
    vm: string,
    values: Record<string, string>,
    options: VmCallOptions & { deadline: number },
  ): Promise<void> {
    return mapped(async () => this.completed(await this.vim.setExtraConfig(vmRef(vm), values, options), options));
  }

  destroyClone(
    vm: string,
    owner: VmOwner,
    options: VmCallOptions & { deadline: number },
  ): Promise<'destroyed' | 'gone' | 'foreign'> {
    return mapped(async () => {
      let facts: VmFacts;
      try {
        facts = await this.vim.getVm(vmRef(vm), options);
      } catch (err) {
        if (isFault(err, 'ManagedObjectNotFound')) return 'gone';
        throw err;
      }
      if (!(await this.owns(facts, owner, options))) return 'foreign';
      if (facts.powerState !== 'poweredOff')
        await this.completed(await this.vim.powerOff(facts.moref, options), options);
      await this.completed(await this.vim.destroy(facts.moref, options), options);
      return 'destroyed';
    });
  }

  /** Whether the VM is the owner's: by its extraConfig marker, or as the unmarked result of the owner's clone task. */
  private async owns(facts: VmFacts, owner: VmOwner, options: VmCallOptions): Promise<boolean> {
    if ('key' in owner) return facts.extraConfig[owner.key] === owner.value;
    if (facts.extraConfig[owner.unmarked] !== undefined) return false;
    const info = await this.vim.waitForTask({ type: 'Task', value: owner.task }, { ...options, deadline: 0 });
    return info.state === 'success' && info.result?.value === facts.moref.value;
  }

  /** Waits for a task and turns its error into a throw; a task outliving the deadline is a retryable error. */
  private async completed(task: MoRef<'Task'>, options: VmCallOptions & { deadline: number }): Promise<void> {
    const info = await this.vim.waitForTask(task, options);
    if (info.state === 'error')
      throw info.error ?? new VcenterFaultError('SystemError', `Task ${task.value} failed`, 'terminal');
    if (info.state !== 'success') throw new VcenterUnavailableError(`Task ${task.value} is still ${info.state}`);
  }

  /** Runs `work` with the plan's lookups (repeated once with fresh ones if a cached one was stale), mapped errors. */
  private withLookups<T>(work: (at: PlanLookups) => Promise<T>, options: VmCallOptions): Promise<T> {
    return mapped(() => this.cache.run((lookups) => work(planLookups(lookups, options))));
  }
}

/** The plan's objects (source, its facts, folder, paths) resolved through one attempt's cached lookups. */
type PlanLookups = ReturnType<typeof planLookups>;

const planLookups = (lookups: InventoryLookups, options: VmCallOptions) => {
  const resolve = async (path: string, type: string): Promise<MoRef> => {
    const ref = await lookups.byPath(path, options);
    const networkTypes = ['Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork'];
    const fits = ref && (ref.type === type || (type === 'Network' && networkTypes.includes(ref.type)));
    if (!ref || !fits) throw notFound(type, path);
    return ref;
  };
  const folder = async (plan: ClonePlan): Promise<MoRef<'Folder'>> => {
    if (plan.folder) return (await placementRef(plan, 'folder', resolve)) as MoRef<'Folder'>;
    const facts = await lookups.sourceVm(await source(plan), options);
    if (!facts.folder) throw notFound('Folder of source VM', facts.moref.value);
    return facts.folder;
  };
  const source = async (plan: ClonePlan): Promise<MoRef<'VirtualMachine'>> => {
    const src = plan.source;
    if ('moref' in src) return vmRef(src.moref);
    if ('path' in src) return (await resolve(src.path, 'VirtualMachine')) as MoRef<'VirtualMachine'>;
    if (!plan.folder) throw notFound('Folder of source VM', src.name);
    const found = await lookups.child(await folder(plan), src.name, options);
    if (found?.type !== 'VirtualMachine') throw notFound('Source VM', src.name);
    return found as MoRef<'VirtualMachine'>;
  };
  return {
    lookups,
    resolve,
    folder,
    source,
    sourceFacts: async (plan: ClonePlan) => lookups.sourceVm(await source(plan), options),
  };
};
