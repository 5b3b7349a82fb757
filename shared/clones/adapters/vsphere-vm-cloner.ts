import { VcenterFaultError, VcenterUnavailableError } from '../../errors/app-error.js';
import {
  isFault,
  type MoRef,
  type VimClient,
  VimFaultError,
  VimTransportError,
  type VmFacts,
} from '../../vsphere/index.js';
import type { ClonedVm } from '../model/clone-job.js';
import type {
  ClonePlan,
  CloneTaskOutcome,
  DeviceRef,
  FoundVm,
  GuestIdentity,
  VmCallOptions,
  VmCloner,
} from '../ports/vm-cloner.js';
import { buildInstantCloneSpec } from './vsphere-clone-spec.js';

/**
 * Maps the vim25 client's errors onto the domain's, keeping the vSphere fault type, its fields and (for a non-SOAP
 * answer) vCenter's HTTP status. The one place a vCenter fault is translated: everything past this adapter sees
 * only AppErrors.
 */
export const toDomainError = (err: unknown): unknown => {
  if (err instanceof VimFaultError) {
    return new VcenterFaultError(err.faultType, err.message, err.classification, err.fields, { cause: err });
  }
  if (err instanceof VimTransportError) {
    return new VcenterUnavailableError(err.message, {
      cause: err,
      ...(err.status !== undefined && { upstreamStatus: err.status }),
    });
  }
  return err;
};

const toFoundVm = (facts: VmFacts): FoundVm => ({
  moref: facts.moref.value,
  name: facts.name,
  nics: facts.nics.map((n) => ({ key: n.key, mac: n.macAddress, addressType: n.addressType })),
  extraConfig: facts.extraConfig,
});
const toClonedVm = (facts: VmFacts): ClonedVm => {
  const { extraConfig: _omitted, ...vm } = toFoundVm(facts);
  return vm;
};

const notFound = (what: string, path: string) =>
  new VcenterFaultError('ManagedObjectNotFound', `${what} ${path} was not found in vCenter`, 'terminal', { path });

const vmRef = (value: string): MoRef<'VirtualMachine'> => ({ type: 'VirtualMachine', value });

/** vSphere fails an instant clone of a running source at 255 delta disks; refuse a little before, with advice. */
export const DELTA_CHAIN_REFUSE_AT = 250;
/** Source facts (devices, chain depth) are re-read this often; the chain grows with every clone. */
const SOURCE_FACTS_TTL_MS = 60_000;

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
 * VmCloner on the vim25 client. Inventory lookups (source VM, folders, pools, networks) are cached per process:
 * they are stable, and each saved round trip matters on a busy vCenter; a failed lookup is not cached. Unless
 * the plan names a folder, the clone lands in its source VM's folder, so a retry always looks in the same place.
 */
export class VsphereVmCloner implements VmCloner {
  private readonly lookups = new Map<string, Promise<MoRef>>();
  private readonly sourceFacts = new Map<string, { at: number; facts: Promise<VmFacts> }>();

  constructor(private readonly vim: VimClient) {}

  sourceIdentity(plan: ClonePlan, options: VmCallOptions): Promise<GuestIdentity> {
    return mapped(async () => (await this.vim.getVm(await this.source(plan, options), options)).guest);
  }

  startClone(plan: ClonePlan, options: VmCallOptions): Promise<{ taskRef: string }> {
    return mapped(async () => {
      const source = await this.source(plan, options);
      const facts = await this.facts(source, options);
      refuseNearChainLimit(facts);
      const folder = await this.folder(plan, options);
      const spec = await buildInstantCloneSpec(plan, facts, folder, {
        resolve: (path, type) => this.resolve(path, type, options),
        network: (ref) => this.vim.getNetwork(ref, options),
      });
      return { taskRef: (await this.vim.instantClone(source, spec, options)).value };
    });
  }

  waitForClone(taskRef: string, options: VmCallOptions & { deadline: number }): Promise<CloneTaskOutcome> {
    return mapped(async () => {
      const info = await this.vim.waitForTask({ type: 'Task', value: taskRef }, options);
      if (info.state === 'queued' || info.state === 'running') return { state: 'running' };
      if (info.state === 'error') return { state: 'failed', error: toDomainError(info.error) };
      if (!info.result)
        throw new VcenterFaultError('InvalidResponse', `Task ${taskRef} succeeded without a VM`, 'terminal');
      return { state: 'succeeded', vm: toClonedVm(await this.vim.getVm(vmRef(info.result.value), options)) };
    });
  }

  findClone(plan: ClonePlan, options: VmCallOptions): Promise<FoundVm | undefined> {
    return mapped(async () => {
      const found = await this.vim.findChild(await this.folder(plan, options), plan.name, options);
      if (found?.type !== 'VirtualMachine') return undefined;
      return toFoundVm(await this.vim.getVm(vmRef(found.value), options));
    });
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
    owner: { key: string; value: string },
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
      if (facts.extraConfig[owner.key] !== owner.value) return 'foreign';
      if (facts.powerState !== 'poweredOff')
        await this.completed(await this.vim.powerOff(facts.moref, options), options);
      await this.completed(await this.vim.destroy(facts.moref, options), options);
      return 'destroyed';
    });
  }

  /** Waits for a task and turns its error into a throw; a task outliving the deadline is a retryable error. */
  private async completed(task: MoRef<'Task'>, options: VmCallOptions & { deadline: number }): Promise<void> {
    const info = await this.vim.waitForTask(task, options);
    if (info.state === 'error')
      throw info.error ?? new VcenterFaultError('SystemError', `Task ${task.value} failed`, 'terminal');
    if (info.state !== 'success') throw new VcenterUnavailableError(`Task ${task.value} is still ${info.state}`);
  }

  private source(plan: ClonePlan, options: VmCallOptions): Promise<MoRef<'VirtualMachine'>> {
    const src = plan.source;
    if ('moref' in src) return Promise.resolve(vmRef(src.moref));
    if ('name' in src) {
      return this.cached(this.lookups, `VirtualMachine:name:${src.name}:${JSON.stringify(plan.folder)}`, async () => {
        const found = await this.vim.findChild(await this.folder(plan, options), src.name, options);
        if (found?.type !== 'VirtualMachine') throw notFound('Source VM', src.name);
        return found;
      }) as Promise<MoRef<'VirtualMachine'>>;
    }
    return this.resolve(src.path, 'VirtualMachine', options) as Promise<MoRef<'VirtualMachine'>>;
  }

  /** The source's devices and chain depth, cached for a minute: the spec needs them for every clone. */
  private facts(source: MoRef<'VirtualMachine'>, options: VmCallOptions): Promise<VmFacts> {
    const entry = this.sourceFacts.get(source.value);
    if (entry && Date.now() - entry.at < SOURCE_FACTS_TTL_MS) return entry.facts;
    const facts = this.vim.getVm(source, options);
    this.sourceFacts.set(source.value, { at: Date.now(), facts });
    facts.catch(() => this.sourceFacts.delete(source.value));
    return facts;
  }

  private async folder(plan: ClonePlan, options: VmCallOptions): Promise<MoRef<'Folder'>> {
    const folder = plan.folder;
    if (folder) {
      if ('moref' in folder) return { type: 'Folder', value: folder.moref };
      return this.resolve(folder.path, 'Folder', options) as Promise<MoRef<'Folder'>>;
    }
    const facts = await this.facts(await this.source(plan, options), options);
    if (!facts.folder) throw notFound('Folder of source VM', facts.moref.value);
    return facts.folder;
  }

  private resolve(path: string, type: string, options: VmCallOptions): Promise<MoRef> {
    return this.cached(this.lookups, `${type}:${path}`, async () => {
      const ref = await this.vim.findByInventoryPath(path, options);
      const networkTypes = ['Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork'];
      const fits = ref && (ref.type === type || (type === 'Network' && networkTypes.includes(ref.type)));
      if (!ref || !fits) throw notFound(type, path);
      return ref;
    });
  }

  /** Caches a lookup; a failed one is forgotten so the next attempt asks again. */
  private cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }
}
