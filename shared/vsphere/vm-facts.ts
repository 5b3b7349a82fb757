/**
 * Reads VM facts from one RetrievePropertiesEx answer: the property paths to ask for, and the decoding of
 * `DynamicProperty` values (`ArrayOfVirtualDevice`, `ArrayOfOptionValue`, enums, MoRefs) into {@link VmFacts}.
 */
import { VimFaultError } from './errors.js';
import { asArray, bool, child, int, moRef, type Node, returnval, text, xsiType } from './soap/parse.js';
import type { SourceDevice } from './soap/serialize.js';
import type { MoRef, PowerState, VmFacts, VmNic, VmPort } from './types.js';

export const VM_FACT_PATHS = [
  'name',
  'parent',
  'runtime.powerState',
  'runtime.host',
  'runtime.instantCloneFrozen',
  'config.hardware.device',
  'config.extraConfig',
  'guest.ipAddress',
  'guest.hostName',
] as const;

export const VM_DEVICE_PATHS = ['config.hardware.device'] as const;

const NIC_TYPE = /Ethernet|Vmxnet|E1000|PCNet|Sriov/i;
const POWER_STATES: ReadonlySet<string> = new Set(['poweredOn', 'poweredOff', 'suspended']);

/** The propSet of the first object of a RetrievePropertiesExResponse, as a path → value map. */
export function propertiesOf(response: Node, obj: MoRef): Map<string, Node> {
  const objects = asArray(child(returnval(response), 'objects'));
  const match = objects.find((o) => moRef(child(o, 'obj'))?.value === obj.value) ?? objects[0];
  if (match === undefined) {
    throw new VimFaultError('ManagedObjectNotFound', `${obj.type}:${obj.value} was not returned`, { obj });
  }
  const props = new Map<string, Node>();
  for (const prop of asArray(child(match, 'propSet'))) {
    const name = text(child(prop, 'name'));
    if (name !== undefined) props.set(name, child(prop, 'val'));
  }
  return props;
}

function devicesOf(value: Node): Node[] {
  return asArray(child(value, 'VirtualDevice'));
}

function isNic(device: Node): boolean {
  return NIC_TYPE.test(xsiType(device) ?? '') || child(device, 'macAddress') !== undefined;
}

function chainDepth(backing: Node): number {
  let depth = 0;
  for (let b = backing; b !== undefined && b !== null; b = child(b, 'parent')) depth++;
  return depth;
}

/** Source devices by key, for serialising edits of them. */
export function readSourceDevices(props: Map<string, Node>): Map<number, SourceDevice> {
  const devices = new Map<number, SourceDevice>();
  for (const node of devicesOf(props.get('config.hardware.device'))) {
    const key = int(child(node, 'key'));
    const type = xsiType(node);
    if (key === undefined || type === undefined) continue;
    const device: SourceDevice = { key, type };
    const connectable = child(node, 'connectable');
    if (connectable !== undefined) {
      device.connectable = {
        startConnected: bool(child(connectable, 'startConnected')) ?? true,
        allowGuestControl: bool(child(connectable, 'allowGuestControl')) ?? true,
      };
    }
    const port = child(child(node, 'backing'), 'port');
    const switchUuid = text(child(port, 'switchUuid'));
    if (switchUuid !== undefined) {
      const portgroupKey = text(child(port, 'portgroupKey'));
      device.distributedPort = portgroupKey === undefined ? { switchUuid } : { switchUuid, portgroupKey };
    }
    const yieldOnPoll = bool(child(node, 'yieldOnPoll'));
    if (yieldOnPoll !== undefined) device.yieldOnPoll = yieldOnPoll;
    devices.set(key, device);
  }
  return devices;
}

function readNics(devices: Node[]): VmNic[] {
  return devices.filter(isNic).map((d) => ({
    key: int(child(d, 'key')) ?? 0,
    label: text(child(child(d, 'deviceInfo'), 'label')) ?? '',
    macAddress: text(child(d, 'macAddress')) ?? '',
    addressType: text(child(d, 'addressType')) ?? '',
    connected: bool(child(child(d, 'connectable'), 'connected')) ?? false,
  }));
}

function readPorts(devices: Node[], type: 'VirtualSerialPort' | 'VirtualParallelPort'): VmPort[] {
  return devices
    .filter((d) => xsiType(d) === type)
    .map((d) => {
      const port: VmPort = {
        key: int(child(d, 'key')) ?? 0,
        label: text(child(child(d, 'deviceInfo'), 'label')) ?? '',
      };
      const fileName = text(child(child(d, 'backing'), 'fileName'));
      if (fileName !== undefined && /FileBackingInfo$/.test(xsiType(child(d, 'backing')) ?? ''))
        port.fileName = fileName;
      return port;
    });
}

function readExtraConfig(value: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of asArray(child(value, 'OptionValue'))) {
    const key = text(child(option, 'key'));
    if (key !== undefined) out[key] = text(child(option, 'value')) ?? '';
  }
  return out;
}

/** Decodes the properties of {@link VM_FACT_PATHS}. Unset or unreadable properties get neutral defaults. */
export function readVmFacts(vm: MoRef<'VirtualMachine'>, props: Map<string, Node>): VmFacts {
  const devices = devicesOf(props.get('config.hardware.device'));
  const disks = devices.filter((d) => xsiType(d) === 'VirtualDisk');
  const power = text(props.get('runtime.powerState')) ?? 'poweredOff';
  const facts: VmFacts = {
    moref: vm,
    name: text(props.get('name')) ?? '',
    powerState: (POWER_STATES.has(power) ? power : 'poweredOff') as PowerState,
    frozen: bool(props.get('runtime.instantCloneFrozen')) ?? false,
    nics: readNics(devices),
    extraConfig: readExtraConfig(props.get('config.extraConfig')),
    guest: {},
    serialPorts: readPorts(devices, 'VirtualSerialPort'),
    parallelPorts: readPorts(devices, 'VirtualParallelPort'),
    devices: [...readSourceDevices(props).values()],
  };
  const host = moRef<'HostSystem'>(props.get('runtime.host'));
  if (host) facts.host = host;
  const folder = moRef<'Folder'>(props.get('parent'));
  if (folder) facts.folder = folder;
  const ipAddress = text(props.get('guest.ipAddress'));
  if (ipAddress) facts.guest.ipAddress = ipAddress;
  const hostName = text(props.get('guest.hostName'));
  if (hostName) facts.guest.hostName = hostName;
  // A loop, not Math.max(...): an answer may list more disks than a call has room for arguments.
  for (const disk of disks)
    facts.diskChainDepth = Math.max(facts.diskChainDepth ?? 0, chainDepth(child(disk, 'backing')));
  return facts;
}
