/**
 * Builds vim25 argument values for {@link requestEnvelope}. vCenter is a strict doc/literal server, so every object
 * here lists its fields in XSD sequence order; polymorphic slots get an `xsi:type` ({@link typed}, {@link xsdString}).
 */
import { VimFaultError } from '../errors.js';
import { TASK_INFO_PATHS } from '../task-info.js';
import type { InstantCloneSpec, MoRef, NicEdit, VmDevice } from '../types.js';
import { mo, typed, type XmlObject, type XmlValue, xsdString } from './envelope.js';

export { mo, typed } from './envelope.js';

/** What the client knows about a device of the source VM, needed to write a valid edit of it. */
export type SourceDevice = VmDevice;

/** OptionValue[] (the declared type, so no `xsi:type` of their own) with `xsd:string` values. */
export function optionValues(values: Record<string, string>): XmlObject[] {
  return Object.entries(values).map(([key, value]) => ({ key, value: xsdString(value) }));
}

/** PropertyFilterSpec for some paths of one object. */
export function propertyFilterSpec(obj: MoRef, paths: readonly string[]): XmlObject {
  return {
    propSet: [{ type: obj.type, all: false, pathSet: [...paths] }],
    objectSet: [{ obj: mo(obj), skip: false }],
  };
}

/** PropertyFilterSpec reading the whole `info` of some tasks; a task vCenter no longer has comes back in missingSet. */
export function taskInfoSpec(tasks: readonly MoRef[]): XmlObject {
  return {
    propSet: [{ type: 'Task', all: false, pathSet: ['info'] }],
    objectSet: tasks.map((task) => ({ obj: mo(task), skip: false })),
    reportMissingObjectsInResults: true,
  };
}

/**
 * PropertyFilterSpec reporting `info` of every task in `entity.recentTask` (a TraversalSpec from the entity to its
 * recent tasks); new tasks on the entity enter the filter as they are created.
 */
export function recentTaskFilterSpec(entity: MoRef): Record<string, XmlValue> {
  const toRecentTasks = typed('TraversalSpec', {
    name: 'recentTask',
    type: entity.type,
    path: 'recentTask',
    skip: false,
  });
  return {
    propSet: [{ type: 'Task', all: false, pathSet: [...TASK_INFO_PATHS] }],
    objectSet: [{ obj: mo(entity), skip: true, selectSet: [toRecentTasks] }],
  };
}

function sourceDevice(devices: ReadonlyMap<number, SourceDevice>, key: number): SourceDevice {
  const device = devices.get(key);
  if (!device) {
    throw new VimFaultError('InvalidDeviceSpec', `the source VM has no device with key ${key}`, { deviceKey: key });
  }
  return device;
}

function nicBacking(nic: NicEdit, device: SourceDevice): Record<string, XmlValue> | undefined {
  const network = nic.network;
  if (network?.kind === 'standard') {
    return typed('VirtualEthernetCardNetworkBackingInfo', { deviceName: network.name, network: mo(network.moref) });
  }
  // The running source owns its distributed port: the clone must join the port group without a port key.
  const port = network?.kind === 'distributed' ? network : device.distributedPort;
  if (!port) return undefined;
  const connection: Record<string, XmlValue> = { switchUuid: port.switchUuid };
  if (port.portgroupKey !== undefined) connection['portgroupKey'] = port.portgroupKey;
  return typed('VirtualEthernetCardDistributedVirtualPortBackingInfo', { port: connection });
}

function nicEdit(nic: NicEdit, device: SourceDevice): Record<string, XmlValue> {
  const fields: Record<string, XmlValue> = { key: nic.key };
  const backing = nicBacking(nic, device);
  if (backing) fields['backing'] = backing;
  if (nic.startDisconnected) {
    fields['connectable'] = {
      migrateConnect: 'disconnect',
      startConnected: device.connectable?.startConnected ?? true,
      allowGuestControl: device.connectable?.allowGuestControl ?? true,
      connected: false,
    };
  }
  if (nic.macAddress !== undefined) {
    fields['addressType'] = 'manual';
    fields['macAddress'] = nic.macAddress;
  }
  return { operation: 'edit', device: typed(device.type, fields) };
}

function portEdit(kind: 'Serial' | 'Parallel', port: { key: number; fileName: string }, device: SourceDevice) {
  const fields: Record<string, XmlValue> = {
    key: port.key,
    backing: typed(`Virtual${kind}PortFileBackingInfo`, { fileName: port.fileName }),
  };
  if (kind === 'Serial') fields['yieldOnPoll'] = device.yieldOnPoll ?? true;
  return { operation: 'edit', device: typed(device.type, fields) };
}

/** Device keys the spec edits; the client needs their source devices before serialising. */
export function editedDeviceKeys(spec: InstantCloneSpec): number[] {
  return [...(spec.nics ?? []), ...(spec.serialPorts ?? []), ...(spec.parallelPorts ?? [])].map((d) => d.key);
}

/**
 * VirtualMachineInstantCloneSpec in schema order: name, location (folder, datastore, pool, deviceChange), config,
 * biosUuid. `location` is always present (vCenter requires it, even empty).
 * @throws VimFaultError `InvalidDeviceSpec` when an edited key is not a device of the source.
 */
export function instantCloneSpec(spec: InstantCloneSpec, devices: ReadonlyMap<number, SourceDevice>) {
  const location: Record<string, XmlValue> = {};
  if (spec.folder) location['folder'] = mo(spec.folder);
  if (spec.datastore) location['datastore'] = mo(spec.datastore);
  if (spec.pool) location['pool'] = mo(spec.pool);
  const deviceChange = [
    ...(spec.nics ?? []).map((nic) => nicEdit(nic, sourceDevice(devices, nic.key))),
    ...(spec.serialPorts ?? []).map((p) => portEdit('Serial', p, sourceDevice(devices, p.key))),
    ...(spec.parallelPorts ?? []).map((p) => portEdit('Parallel', p, sourceDevice(devices, p.key))),
  ];
  if (deviceChange.length > 0) location['deviceChange'] = deviceChange;
  const out: Record<string, XmlValue> = { name: spec.name, location };
  if (spec.extraConfig && Object.keys(spec.extraConfig).length > 0) out['config'] = optionValues(spec.extraConfig);
  if (spec.biosUuid !== undefined) out['biosUuid'] = spec.biosUuid;
  return out;
}

/** VirtualMachineConfigSpec that sets extraConfig keys (an empty value removes a key, as vCenter does). */
export function extraConfigSpec(values: Record<string, string>): Record<string, XmlValue> {
  return { extraConfig: optionValues(values) };
}

/** VirtualMachineConfigSpec that connects one NIC now and at power-on. */
export function connectNicSpec(device: SourceDevice): Record<string, XmlValue> {
  const connectable = {
    startConnected: true,
    allowGuestControl: device.connectable?.allowGuestControl ?? true,
    connected: true,
  };
  return { deviceChange: [{ operation: 'edit', device: typed(device.type, { key: device.key, connectable }) }] };
}
