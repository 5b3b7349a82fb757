/**
 * The vim25 client: typed operations over the decorated SOAP transport (retry of reads → session). Economy rules:
 * the ServiceContent and the session are reused for the client's lifetime, and all task waits share one property
 * collector whose filter on each source VM's `recentTask` already reports the clone task. On a warm client a clone
 * costs InstantClone_Task + two WaitForUpdatesEx (the task appears, the task ends: 3 round trips) when the caller
 * passes the source's {@link VmFacts} (their devices are what the spec's edits need). The client caches no
 * inventory answers: {@link InventoryCache} is the one owner of lookups that may go stale.
 */
import { VimFaultError, VimTransportError } from './errors.js';
import { findVmsWithMacs, type MacHolder } from './mac-scan.js';
import { readNetwork } from './network.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import { withSession } from './session.js';
import { moRef, type Node, returnval } from './soap/parse.js';
import {
  connectNicSpec,
  editedDeviceKeys,
  extraConfigSpec,
  instantCloneSpec,
  mo,
  propertyFilterSpec,
} from './soap/serialize.js';
import { createSoapTransport, type SoapTransportOptions, type VimArgs, type VimMethod } from './soap/transport.js';
import { TaskWaiter } from './task-waiter.js';
import type {
  CallOptions,
  InstantCloneSpec,
  MoRef,
  NicNetwork,
  TaskInfo,
  VimClientOptions,
  VmFacts,
  WaitOptions,
} from './types.js';
import { propertiesOf, readSourceDevices, readVmFacts, VM_DEVICE_PATHS, VM_FACT_PATHS } from './vm-facts.js';

/** The client the worker uses. Every method may reject with VimFaultError or VimTransportError. */
export interface VimClient {
  /** `FindByInventoryPath`, e.g. `/DC0/vm/golden/web`. Undefined when nothing is there. Never cached. */
  findByInventoryPath(path: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /** `FindChild`: an immediate child of a folder/datacenter/pool by name. Never cached (reconcile reads it). */
  findChild(parent: MoRef, name: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /**
   * The VMs of the whole inventory whose NICs carry any of `macs` (any case): RetrievePropertiesEx over every VM's
   * devices, one answer per 500 VMs (see `mac-scan.ts`). No call at all for no MACs.
   */
  findVmsWithMacs(macs: readonly string[], opts?: CallOptions): Promise<MacHolder[]>;
  /** One RetrievePropertiesEx. Rejects with `ManagedObjectNotFound` when the VM does not exist. */
  getVm(vm: MoRef<'VirtualMachine'>, opts?: CallOptions): Promise<VmFacts>;
  /**
   * Starts `InstantClone_Task` and returns the task at once; wait with {@link VimClient.waitForTask}. Edits of the
   * source's devices (NICs, ports) restate each device's class and state: pass the source's {@link VmFacts} (e.g.
   * from {@link VimClient.getVm}) and they are taken from there; pass a moref and they cost one RetrievePropertiesEx.
   * Rejects with `InvalidDeviceSpec` (before calling vCenter) when an edited key is not a device of the source.
   */
  instantClone(source: VmSource, spec: InstantCloneSpec, opts?: CallOptions): Promise<MoRef<'Task'>>;
  /** Starts `CheckInstantClone_Task` (preflight); the task result is an array of CheckResult. Source as above. */
  checkInstantClone(source: VmSource, spec: InstantCloneSpec, opts?: CallOptions): Promise<MoRef<'Task'>>;
  /**
   * Waits until the task ends or `deadline` (epoch ms) passes; returns the last TaskInfo (state may still be
   * queued/running at the deadline). A task error is returned in `info.error`, not thrown. Works on any task moref,
   * including one started by another process. Rejects on abort (`VimTransportError` kind `aborted`).
   */
  waitForTask(task: MoRef<'Task'>, opts: WaitOptions): Promise<TaskInfo>;
  powerOff(vm: MoRef<'VirtualMachine'>, opts?: CallOptions): Promise<MoRef<'Task'>>;
  destroy(vm: MoRef<'VirtualMachine'>, opts?: CallOptions): Promise<MoRef<'Task'>>;
  /** `ReconfigVM_Task` connecting one NIC (after an instant clone with `startDisconnected`). */
  reconnectNic(vm: MoRef<'VirtualMachine'>, nicKey: number, opts?: CallOptions): Promise<MoRef<'Task'>>;
  /**
   * `ReconfigVM_Task` setting extraConfig keys on a (running) VM, e.g. `guestinfo.*` values a guest polls for.
   * An empty value removes the key. Wait for the returned task; the values are set when it succeeds.
   */
  setExtraConfig(
    vm: MoRef<'VirtualMachine'>,
    values: Record<string, string>,
    opts?: CallOptions,
  ): Promise<MoRef<'Task'>>;
  /**
   * The NIC backing for a network: a standard portgroup (`Network`) by name, or a distributed portgroup
   * (`DistributedVirtualPortgroup`) with its switch UUID and portgroup key.
   * Pass the moref from `findByInventoryPath('/<dc>/network/<name>')`. Never cached.
   */
  getNetwork(network: MoRef, opts?: CallOptions): Promise<NicNetwork>;
  /** Best-effort `CancelTask`. */

  cancelTask(task: MoRef<'Task'>, opts?: CallOptions): Promise<void>;
  /**
   * Logs in if there is no session yet and makes one authenticated call (the root folder's name), so a resolved
   * answer means vCenter answers and accepts the credentials. Resolves with vCenter's `about` API version and type.
   */
  about(opts?: CallOptions): Promise<{ apiVersion: string; apiType: string }>;
  /** Ends the session and closes idle sockets. The client logs in again if used afterwards. Never throws. */
  logout(): Promise<void>;
  /** SOAP round trips made so far (HTTP requests, retries included). */
  readonly roundTrips: number;
}

/** A source VM: its moref, or its facts (which carry the devices an edit needs). */
export type VmSource = MoRef<'VirtualMachine'> | VmFacts;

const isFacts = (source: VmSource): source is VmFacts => 'devices' in source;
const refOf = (source: VmSource): MoRef<'VirtualMachine'> => (isFacts(source) ? source.moref : source);

/**
 * Creates a client. No network traffic happens until the first call (then RetrieveServiceContent + Login).
 *
 * @example
 * const vim = createVimClient({ url: 'https://vc.example.com/sdk', credentials: async () => ({ username, password }) });
 * const source = await vim.getVm((await vim.findByInventoryPath('/DC0/vm/golden')) as MoRef<'VirtualMachine'>);
 * const task = await vim.instantClone(source, { name: 'ci-42', nics: [{ key: 4000, startDisconnected: true }] });
 * const info = await vim.waitForTask(task, { deadline: Date.now() + 60_000 });
 * if (info.state === 'success') console.log('clone', info.result);
 */
export function createVimClient(
  options: VimClientOptions & Pick<SoapTransportOptions, 'wsdlPath'> & { retry?: RetryPolicy },
): VimClient {
  const now = options.now ?? Date.now;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const transport = withRetry(createSoapTransport({ ...options, requestTimeoutMs }), options.retry ?? DEFAULT_RETRY);
  const session = withSession(transport, options);
  const waiter = new TaskWaiter(session, now, requestTimeoutMs);

  const call = (method: VimMethod, args: VimArgs, opts: CallOptions = {}) => session.call(method, args, opts);

  const taskOf = (answer: Node, method: string): MoRef<'Task'> => {
    const task = moRef<'Task'>(returnval(answer));
    if (!task) throw new VimTransportError('bad-response', `${method} returned no task`, { retryable: false });
    return task;
  };

  const retrieve = async (obj: MoRef, pathSet: readonly string[], opts?: CallOptions) => {
    const sc = await session.serviceContent(opts);
    const answer = await call(
      'RetrievePropertiesEx',
      { _this: mo(sc.propertyCollector), specSet: [propertyFilterSpec(obj, pathSet)], options: {} },
      opts,
    );
    return propertiesOf(answer, obj);
  };

  const devicesOf = async (vm: MoRef, opts?: CallOptions) =>
    readSourceDevices(await retrieve(vm, VM_DEVICE_PATHS, opts));

  const cloneSpec = async (source: VmSource, spec: InstantCloneSpec, opts?: CallOptions) => {
    if (editedDeviceKeys(spec).length === 0) return instantCloneSpec(spec, new Map());
    const devices = isFacts(source) ? new Map(source.devices.map((d) => [d.key, d])) : await devicesOf(source, opts);
    return instantCloneSpec(spec, devices);
  };

  const startTask = async (method: VimMethod, vm: MoRef, opts?: CallOptions) =>
    taskOf(await call(method, { _this: mo(vm) }, opts), method);

  return {
    async findByInventoryPath(path, opts) {
      const sc = await session.serviceContent(opts);
      const answer = await call('FindByInventoryPath', { _this: mo(sc.searchIndex), inventoryPath: path }, opts);
      return moRef(returnval(answer));
    },
    async findChild(parent, name, opts) {
      const sc = await session.serviceContent(opts);
      const answer = await call('FindChild', { _this: mo(sc.searchIndex), entity: mo(parent), name }, opts);
      return moRef(returnval(answer));
    },
    async findVmsWithMacs(macs, opts) {
      if (macs.length === 0) return [];
      const sc = await session.serviceContent(opts);
      return findVmsWithMacs(call, sc.propertyCollector, sc.rootFolder, macs, opts);
    },
    async getVm(vm, opts) {
      return readVmFacts(vm, await retrieve(vm, VM_FACT_PATHS, opts));
    },
    async instantClone(source, spec, opts) {
      const vm = refOf(source);
      const args = { _this: mo(vm), spec: await cloneSpec(source, spec, opts) };
      await waiter.watchSource(vm, opts ?? {});
      const task = taskOf(await call('InstantClone_Task', args, opts), 'InstantClone_Task');
      waiter.started(task, vm);
      return task;
    },
    async checkInstantClone(source, spec, opts) {
      const sc = await session.serviceContent(opts);
      if (!sc.vmProvisioningChecker) throw new Error('this vCenter has no VirtualMachineProvisioningChecker');
      const vm = mo(refOf(source));
      const args = { _this: mo(sc.vmProvisioningChecker), vm, spec: await cloneSpec(source, spec, opts) };
      return taskOf(await call('CheckInstantClone_Task', args, opts), 'CheckInstantClone_Task');
    },
    waitForTask: (task, opts) => waiter.wait(task, opts),
    powerOff: (vm, opts) => startTask('PowerOffVM_Task', vm, opts),
    destroy: (vm, opts) => startTask('Destroy_Task', vm, opts),
    async reconnectNic(vm, nicKey, opts) {
      const device = (await devicesOf(vm, opts)).get(nicKey);
      if (!device) throw new VimFaultError('InvalidDeviceSpec', `the VM has no device with key ${nicKey}`, { nicKey });
      const spec = connectNicSpec(device);
      return taskOf(await call('ReconfigVM_Task', { _this: mo(vm), spec }, opts), 'ReconfigVM_Task');
    },
    async setExtraConfig(vm, values, opts) {
      const spec = extraConfigSpec(values);
      return taskOf(await call('ReconfigVM_Task', { _this: mo(vm), spec }, opts), 'ReconfigVM_Task');
    },
    getNetwork: (network, opts) => readNetwork(network, retrieve, opts),
    async cancelTask(task, opts) {
      await call('CancelTask', { _this: mo(task) }, opts);
    },
    async about(opts) {
      const sc = await session.serviceContent(opts);
      await retrieve(sc.rootFolder, ['name'], opts);
      return { apiVersion: sc.apiVersion, apiType: sc.apiType };
    },
    async logout() {
      waiter.reset();
      await session.logout();
      transport.close();
    },
    get roundTrips() {
      return transport.roundTrips;
    },
  };
}
