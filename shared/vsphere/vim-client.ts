/**
 * The vim25 client: typed operations over the decorated SOAP transport (retry of reads → session). Economy rules:
 * the ServiceContent and the session are reused for the client's lifetime, inventory paths and source VM devices
 * are cached (and forgotten when vCenter says the object is gone), and all task waits share one property collector
 * whose filter on each source VM's `recentTask` already reports the clone task. On a warm client a clone costs
 * InstantClone_Task + two WaitForUpdatesEx (the task appears, the task ends: 3 round trips; one more CreateFilter
 * when the task needs a fallback filter).
 */
import { isFault, VimFaultError, VimTransportError } from './errors.js';
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
  type SourceDevice,
} from './soap/serialize.js';
import { createSoapTransport, type SoapTransportOptions, type VimMethod } from './soap/transport.js';
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

const INVENTORY_TTL_MS = 5 * 60_000;
const DEVICES_TTL_MS = 10 * 60_000;

/** The client the worker uses. Every method may reject with VimFaultError or VimTransportError. */
export interface VimClient {
  /** `FindByInventoryPath`, e.g. `/DC0/vm/golden/web`. Undefined when nothing is there. Cached for 5 minutes. */
  findByInventoryPath(path: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /** `FindChild`: an immediate child of a folder/datacenter/pool by name. Never cached (reconcile reads it). */
  findChild(parent: MoRef, name: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /** One RetrievePropertiesEx. Rejects with `ManagedObjectNotFound` when the VM does not exist. */
  getVm(vm: MoRef<'VirtualMachine'>, opts?: CallOptions): Promise<VmFacts>;
  /** Starts `InstantClone_Task` and returns the task at once; wait with {@link VimClient.waitForTask}. */
  instantClone(source: MoRef<'VirtualMachine'>, spec: InstantCloneSpec, opts?: CallOptions): Promise<MoRef<'Task'>>;
  /** Starts `CheckInstantClone_Task` (preflight); the task result is an array of CheckResult. */
  checkInstantClone(
    source: MoRef<'VirtualMachine'>,
    spec: InstantCloneSpec,
    opts?: CallOptions,
  ): Promise<MoRef<'Task'>>;
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
   * (`DistributedVirtualPortgroup`) with its switch UUID and portgroup key. Cached for 10 minutes.
   * Pass the moref from `findByInventoryPath('/<dc>/network/<name>')`.
   */
  getNetwork(network: MoRef, opts?: CallOptions): Promise<NicNetwork>;
  /** Best-effort `CancelTask`. */

  cancelTask(task: MoRef<'Task'>, opts?: CallOptions): Promise<void>;
  /** Ends the session and closes idle sockets. The client logs in again if used afterwards. Never throws. */
  logout(): Promise<void>;
  /** SOAP round trips made so far (HTTP requests, retries included). */
  readonly roundTrips: number;
}

interface Cached<T> {
  value: T;
  expires: number;
}

/**
 * Creates a client. No network traffic happens until the first call (then RetrieveServiceContent + Login).
 *
 * @example
 * const vim = createVimClient({ url: 'https://vc.example.com/sdk', credentials: async () => ({ username, password }) });
 * const source = await vim.findByInventoryPath('/DC0/vm/golden');
 * const task = await vim.instantClone(source as MoRef<'VirtualMachine'>, { name: 'ci-42', extraConfig: { 'guestinfo.job': '42' } });
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
  const paths = new Map<string, Cached<MoRef>>();
  const devices = new Map<string, Cached<Map<number, SourceDevice>>>();
  const networks = new Map<string, Cached<NicNetwork>>();

  const call = (method: VimMethod, args: Record<string, unknown>, opts: CallOptions = {}) =>
    session.call(method, args, opts);

  /** Drops cached knowledge of an object vCenter says is gone. */
  const forgetOnNotFound = async <T>(ref: MoRef, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (isFault(err, 'ManagedObjectNotFound')) {
        devices.delete(ref.value);
        for (const [path, cached] of paths) if (cached.value.value === ref.value) paths.delete(path);
      }
      throw err;
    }
  };

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

  const sourceDevices = async (vm: MoRef, fresh: boolean, opts?: CallOptions) => {
    const cached = devices.get(vm.value);
    if (!fresh && cached && cached.expires > now()) return cached.value;
    const value = readSourceDevices(await retrieve(vm, VM_DEVICE_PATHS, opts));
    devices.set(vm.value, { value, expires: now() + DEVICES_TTL_MS });
    return value;
  };

  const cloneSpec = async (source: MoRef, spec: InstantCloneSpec, opts?: CallOptions) => {
    const needsDevices = editedDeviceKeys(spec).length > 0;
    return instantCloneSpec(spec, needsDevices ? await sourceDevices(source, false, opts) : new Map());
  };

  const startTask = async (method: VimMethod, vm: MoRef, opts?: CallOptions) =>
    forgetOnNotFound(vm, async () => taskOf(await call(method, { _this: mo(vm) }, opts), method));

  return {
    async findByInventoryPath(path, opts) {
      const cached = paths.get(path);
      if (cached && cached.expires > now()) return cached.value;
      const sc = await session.serviceContent(opts);
      const answer = await call('FindByInventoryPath', { _this: mo(sc.searchIndex), inventoryPath: path }, opts);
      const found = moRef(returnval(answer));
      if (found) paths.set(path, { value: found, expires: now() + INVENTORY_TTL_MS });
      return found;
    },
    async findChild(parent, name, opts) {
      const sc = await session.serviceContent(opts);
      const answer = await call('FindChild', { _this: mo(sc.searchIndex), entity: mo(parent), name }, opts);
      return moRef(returnval(answer));
    },
    async getVm(vm, opts) {
      return forgetOnNotFound(vm, async () => readVmFacts(vm, await retrieve(vm, VM_FACT_PATHS, opts)));
    },
    async instantClone(source, spec, opts) {
      return forgetOnNotFound(source, async () => {
        const args = { _this: mo(source), spec: await cloneSpec(source, spec, opts) };
        await waiter.watchSource(source, opts ?? {});
        const task = taskOf(await call('InstantClone_Task', args, opts), 'InstantClone_Task');
        waiter.coverTask(task, source);
        return task;
      });
    },
    async checkInstantClone(source, spec, opts) {
      const sc = await session.serviceContent(opts);
      if (!sc.vmProvisioningChecker) throw new Error('this vCenter has no VirtualMachineProvisioningChecker');
      const args = { _this: mo(sc.vmProvisioningChecker), vm: mo(source), spec: await cloneSpec(source, spec, opts) };
      return taskOf(await call('CheckInstantClone_Task', args, opts), 'CheckInstantClone_Task');
    },
    waitForTask: (task, opts) => waiter.wait(task, opts),
    powerOff: (vm, opts) => startTask('PowerOffVM_Task', vm, opts),
    destroy: (vm, opts) => startTask('Destroy_Task', vm, opts),
    async reconnectNic(vm, nicKey, opts) {
      const device = (await sourceDevices(vm, true, opts)).get(nicKey);
      if (!device) throw new VimFaultError('InvalidDeviceSpec', `the VM has no device with key ${nicKey}`, { nicKey });
      const spec = connectNicSpec(device);
      return taskOf(await call('ReconfigVM_Task', { _this: mo(vm), spec }, opts), 'ReconfigVM_Task');
    },
    setExtraConfig: (vm, values, opts) =>
      forgetOnNotFound(vm, async () =>
        taskOf(
          await call('ReconfigVM_Task', { _this: mo(vm), spec: extraConfigSpec(values) }, opts),
          'ReconfigVM_Task',
        ),
      ),
    async getNetwork(network, opts) {
      const cached = networks.get(network.value);
      if (cached && cached.expires > now()) return cached.value;
      const value = await readNetwork(network, retrieve, opts);
      networks.set(network.value, { value, expires: now() + DEVICES_TTL_MS });
      return value;
    },
    async cancelTask(task, opts) {
      await call('CancelTask', { _this: mo(task) }, opts);
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
