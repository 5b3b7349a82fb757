/**
 * vim25 client for vSphere Instant Clone: the only module of `shared/vsphere` others import.
 * SOAP and node-soap stay behind this surface.
 *
 * @example
 * import { createVimClient, VimFaultError } from '#shared/vsphere/index';
 * const vim = createVimClient({ url: process.env.VCENTER_URL!, credentials: async () => ({ username, password }) });
 * const task = await vim.instantClone({ type: 'VirtualMachine', value: 'vm-42' }, { name: 'ci-1' }, { operationId: jobId });
 * const info = await vim.waitForTask(task, { deadline: Date.now() + 30_000, signal });
 * if (info.state === 'error' && info.error?.classification === 'reconcile') {
 *   // DuplicateName: an earlier attempt may have made the VM; look it up by name
 * }
 */
export {
  classifyFault,
  type FaultClassification,
  isFault,
  isVimError,
  type VimError,
  VimFaultError,
  VimTransportError,
  type VimTransportErrorKind,
} from './errors.js';
export {
  InventoryCache,
  type InventoryCacheOptions,
  type InventoryLookups,
} from './inventory-cache.js';
export type { MacHolder } from './mac-scan.js';
export { DEFAULT_MAX_ANSWER_BYTES } from './soap/answer-bounds.js';
export type {
  CallOptions,
  InstantCloneSpec,
  MoRef,
  NicEdit,
  NicNetwork,
  PowerState,
  TaskInfo,
  TaskState,
  VimClientOptions,
  VimLogger,
  VmDevice,
  VmFacts,
  VmNic,
  VmPort,
  WaitOptions,
} from './types.js';
export { createVimClient, type VimClient, type VmSource } from './vim-client.js';
