import type { Inventory } from '../inventory.js';
import type { VmRecord } from '../model.js';
import {
  anyType,
  arr,
  bool,
  dateTime,
  enumValue,
  int,
  moref,
  obj,
  optStr,
  str,
  type VimObject,
  type VimValue,
} from '../soap/vim-value.js';
import { vmDevices } from './vm-devices.js';

/** VirtualMachine properties, each built on demand so a 10,000-VM retrieval of two paths stays cheap. */
export const vmProperties: Record<string, (vm: VmRecord, inv: Inventory) => VimValue | undefined> = {
  name: (vm) => str(vm.name),
  parent: (vm) => moref('Folder', vm.folder),
  overallStatus: () => enumValue('ManagedEntityStatus', 'green'),
  configStatus: () => enumValue('ManagedEntityStatus', 'green'),
  runtime: (vm) => runtimeInfo(vm),
  config: (vm, inv) => configInfo(vm, inv),
  guest: (vm) => guestInfo(vm),
  summary: (vm, inv) => summary(vm, inv),
  resourcePool: (vm) => moref('ResourcePool', vm.pool),
  datastore: (vm) => arr('ManagedObjectReference', [moref('Datastore', vm.datastore)]),
  network: (vm, inv) =>
    arr(
      'ManagedObjectReference',
      [...new Set(vm.nics.map((nic) => nic.network))].map((n) => moref(inv.get(n)?.type ?? 'Network', n)),
    ),
  recentTask: (vm) =>
    arr(
      'ManagedObjectReference',
      vm.recentTasks.map((t) => moref('Task', t)),
    ),
};

function runtimeInfo(vm: VmRecord): VimObject {
  return obj('VirtualMachineRuntimeInfo', [
    ['host', moref('HostSystem', vm.host)],
    ['connectionState', enumValue('VirtualMachineConnectionState', 'connected')],
    ['powerState', enumValue('VirtualMachinePowerState', vm.powerState)],
    ['faultToleranceState', enumValue('VirtualMachineFaultToleranceState', 'notConfigured')],
    ['toolsInstallerMounted', bool(false)],
    ['bootTime', vm.bootTime && vm.powerState === 'poweredOn' ? dateTime(vm.bootTime) : undefined],
    ['maxCpuUsage', int(2400)],
    ['maxMemoryUsage', int(vm.memoryMB)],
    ['numMksConnections', int(0)],
    ['onlineStandby', bool(false)],
    ['consolidationNeeded', bool(false)],
    ['instantCloneFrozen', bool(vm.frozen)],
  ]);
}

function configInfo(vm: VmRecord, inv: Inventory): VimObject {
  const extraConfig = Object.entries(vm.extraConfig).map(([key, value]) =>
    obj('OptionValue', [
      ['key', str(key)],
      ['value', anyType(str(value))],
    ]),
  );
  return obj('VirtualMachineConfigInfo', [
    ['changeVersion', str(vm.bootTime?.toISOString() ?? '')],
    ['modified', dateTime(new Date(0))],
    ['name', str(vm.name)],
    ['guestFullName', str('Other (64-bit)')],
    ['version', str('vmx-19')],
    ['uuid', str(vm.biosUuid)],
    ['instanceUuid', str(vm.instanceUuid)],
    ['template', bool(false)],
    ['guestId', str(vm.guestId)],
    ['alternateGuestName', str('')],
    [
      'files',
      obj('VirtualMachineFileInfo', [
        ['vmPathName', str(vmPathName(vm, inv))],
        ['snapshotDirectory', str(vmDirectory(vm, inv))],
        ['suspendDirectory', str(vmDirectory(vm, inv))],
        ['logDirectory', str(vmDirectory(vm, inv))],
      ]),
    ],
    [
      'hardware',
      obj('VirtualHardware', [
        ['numCPU', int(vm.numCpu)],
        ['numCoresPerSocket', int(1)],
        ['memoryMB', int(vm.memoryMB)],
        ['virtualICH7MPresent', bool(false)],
        ['virtualSMCPresent', bool(false)],
        ['device', arr('VirtualDevice', vmDevices(vm, inv))],
      ]),
    ],
    ['extraConfig', arr('OptionValue', extraConfig)],
  ]);
}

function vmDirectory(vm: VmRecord, inv: Inventory): string {
  return `[${inv.get(vm.datastore)?.name ?? 'LocalDS_0'}] ${vm.name}/`;
}

function vmPathName(vm: VmRecord, inv: Inventory): string {
  return `${vmDirectory(vm, inv)}${vm.name}.vmx`;
}

function guestInfo(vm: VmRecord): VimObject {
  const running = vm.powerState === 'poweredOn';
  return obj('GuestInfo', [
    ['toolsStatus', enumValue('VirtualMachineToolsStatus', running ? 'toolsOk' : 'toolsNotRunning')],
    ['toolsRunningStatus', str(running ? 'guestToolsRunning' : 'guestToolsNotRunning')],
    ['guestId', str(vm.guestId)],
    ['guestFullName', str('Other (64-bit)')],
    ['hostName', running ? optStr(vm.guest.hostName) : undefined],
    ['ipAddress', running ? optStr(vm.guest.ipAddress) : undefined],
    ['guestState', str(running ? 'running' : 'notRunning')],
  ]);
}

function summary(vm: VmRecord, inv: Inventory): VimObject {
  return obj('VirtualMachineSummary', [
    ['vm', moref('VirtualMachine', vm.moref)],
    ['runtime', runtimeInfo(vm)],
    [
      'guest',
      obj('VirtualMachineGuestSummary', [
        ['guestId', str(vm.guestId)],
        [
          'toolsStatus',
          enumValue('VirtualMachineToolsStatus', vm.powerState === 'poweredOn' ? 'toolsOk' : 'toolsNotRunning'),
        ],
        ['hostName', optStr(vm.guest.hostName)],
        ['ipAddress', optStr(vm.guest.ipAddress)],
      ]),
    ],
    [
      'config',
      obj('VirtualMachineConfigSummary', [
        ['name', str(vm.name)],
        ['template', bool(false)],
        ['vmPathName', str(vmPathName(vm, inv))],
        ['memorySizeMB', int(vm.memoryMB)],
        ['numCpu', int(vm.numCpu)],
        ['numEthernetCards', int(vm.nics.length)],
        ['numVirtualDisks', int(vm.disks.length)],
        ['uuid', str(vm.biosUuid)],
        ['instanceUuid', str(vm.instanceUuid)],
        ['guestId', str(vm.guestId)],
      ]),
    ],
    ['overallStatus', enumValue('ManagedEntityStatus', 'green')],
  ]);
}
