import type { VmRecord } from '../model.js';
import { bool, enumValue, moref, optStr, str, type VimValue } from '../soap/vim-value.js';

/**
 * Nested VirtualMachine paths that inventory scans ask for most, read straight from the record instead of building
 * the whole parent data object (`runtime`, `guest`, `config`) per VM. Each must equal what the generic path through
 * vm-properties yields; the property-collector tests read both ways.
 */
export const VM_FAST_PATHS: Readonly<Record<string, (vm: VmRecord) => VimValue | undefined>> = {
  name: (vm) => str(vm.name),
  parent: (vm) => moref('Folder', vm.folder),
  resourcePool: (vm) => moref('ResourcePool', vm.pool),
  'runtime.powerState': (vm) => enumValue('VirtualMachinePowerState', vm.powerState),
  'runtime.host': (vm) => moref('HostSystem', vm.host),
  'runtime.instantCloneFrozen': (vm) => bool(vm.frozen),
  'config.name': (vm) => str(vm.name),
  'config.uuid': (vm) => str(vm.biosUuid),
  'config.instanceUuid': (vm) => str(vm.instanceUuid),
  'summary.config.name': (vm) => str(vm.name),
  'guest.ipAddress': (vm) => (vm.powerState === 'poweredOn' ? optStr(vm.guest.ipAddress) : undefined),
  'guest.hostName': (vm) => (vm.powerState === 'poweredOn' ? optStr(vm.guest.hostName) : undefined),
};
