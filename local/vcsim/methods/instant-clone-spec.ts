import type { VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { child, childrenNamed, childText, parseBoolean, readMoRef, type XmlNode } from '../soap/xml-reader.js';

type Ref = { type: string; value: string };

/** One `location.deviceChange` edit, already checked against the source VM's devices. */
export interface DeviceEdit {
  readonly key: number;
  readonly target: 'nic' | 'port';
  /** New network moref value (standard portgroup `network`, or the DVS portgroup named by `portgroupKey`). */
  readonly network?: string;
  readonly macAddress?: string;
  readonly addressType?: 'manual' | 'assigned' | 'generated';
  readonly migrateConnect?: 'connect' | 'disconnect' | 'unset';
  /** `connectable.connected`, honoured by ReconfigVM_Task (InstantClone uses migrateConnect instead). */
  readonly connected?: boolean;
  readonly startConnected?: boolean;
  readonly allowGuestControl?: boolean;
  /** New file of a file-backed serial/parallel port. */
  readonly fileName?: string;
}

/** A decoded `VirtualMachineInstantCloneSpec`. */
export interface InstantCloneSpec {
  readonly name: string;
  readonly folder?: Ref;
  readonly pool?: Ref;
  readonly datastore?: Ref;
  readonly deviceEdits: DeviceEdit[];
  readonly config: ReadonlyArray<readonly [string, string]>;
  readonly biosUuid?: string;
}

/** Lookup the decoder needs: the type of a moref value (undefined = no such object). */
export type TypeOf = (moref: string) => string | undefined;

// RelocateSpec members InstantClone accepts; "All other settings are NOT supported" (reference §3.1).
const ALLOWED_LOCATION = new Set(['folder', 'datastore', 'pool', 'host', 'deviceChange']);
const NIC_TYPES = /^Virtual(E1000e?|Vmxnet\d?|Vmxnet3Vrdma|PCNet32|SriovEthernetCard|EthernetCard)$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Decodes and validates the spec synchronously, as vCenter does before creating the task (reference §3.2 table).
 * @throws VimFault ManagedObjectNotFound for an unknown folder/pool/datastore/network moref; InvalidArgument for
 *   a missing name, a host other than the source's, unsupported location members or a malformed biosUuid;
 *   InvalidName for names of 80 characters or more; InvalidDeviceSpec for any deviceChange that is not an edit of a
 *   source NIC or file-backed serial/parallel port, or a manual MAC outside 00:50:56:00:00:00–00:50:56:3f:ff:ff.
 */
export function readInstantCloneSpec(request: XmlNode, source: VmRecord, typeOf: TypeOf): InstantCloneSpec {
  const spec = child(request, 'spec');
  if (!spec) throw faults.invalidArgument('spec');
  const name = escapeEntityName(childText(spec, 'name') ?? '');
  if (name === '') throw faults.invalidArgument('spec.name');
  if (name.length >= 80) throw faults.invalidName(name);
  const location = child(spec, 'location');
  for (const member of location?.children ?? []) {
    if (!ALLOWED_LOCATION.has(member.local)) throw faults.invalidArgument(`spec.location.${member.local}`);
  }
  const ref = (local: string, wanted: string): Ref | undefined => {
    const found = location ? readMoRef(child(location, local)) : undefined;
    if (!found) return undefined;
    const type = typeOf(found.value);
    if (type === undefined) throw faults.managedObjectNotFound(found.type, found.value);
    if (type !== wanted) throw faults.invalidArgument(`spec.location.${local}`);
    return found;
  };
  const host = ref('host', 'HostSystem');
  if (host && host.value !== source.host) throw faults.invalidArgument('spec.location.host');
  const biosUuid = childText(spec, 'biosUuid') || undefined;
  if (biosUuid !== undefined && !UUID.test(biosUuid)) throw faults.invalidArgument('spec.biosUuid');
  const deviceEdits = location
    ? childrenNamed(location, 'deviceChange').map((d, i) => readDeviceEdit(d, i, source, typeOf))
    : [];
  const manualMacs = deviceEdits.flatMap((e) => (e.addressType === 'manual' && e.macAddress ? [e.macAddress] : []));
  if (new Set(manualMacs).size !== manualMacs.length)
    throw faults.invalidArgument('spec.location.deviceChange.device.macAddress');
  return {
    name,
    folder: ref('folder', 'Folder'),
    pool: ref('pool', 'ResourcePool'),
    datastore: ref('datastore', 'Datastore'),
    deviceEdits,
    config: childrenNamed(spec, 'config').map((o) => [childText(o, 'key') ?? '', childText(o, 'value') ?? ''] as const),
    biosUuid,
  };
}

/**
 * One `deviceChange`: an edit of an existing NIC (of its own device class) or file-backed serial/parallel port of
 * `source`.
 * @throws VimFault InvalidDeviceSpec for anything else (add/remove, file operations, other devices, another NIC class,
 *   bad MACs).
 */
export function readDeviceEdit(change: XmlNode, index: number, source: VmRecord, typeOf: TypeOf): DeviceEdit {
  const invalid = (property: string) => faults.invalidDeviceSpec(property, index);
  if ((childText(change, 'operation') ?? '') !== 'edit') throw invalid('operation');
  if (childText(change, 'fileOperation')) throw invalid('fileOperation');
  const device = child(change, 'device');
  const key = Number(device ? childText(device, 'key') : undefined);
  if (!device || !Number.isInteger(key)) throw invalid('device.key');
  const backing = child(device, 'backing');
  const connectable = child(device, 'connectable');
  const nic = source.nics.find((n) => n.key === key);
  if (nic) {
    // vCenter edits a device in place: the spec must name the NIC's own class (no VirtualE1000 over a Vmxnet3).
    if (device.xsiType !== undefined && (!NIC_TYPES.test(device.xsiType) || device.xsiType !== nic.deviceType))
      throw invalid('device');
    return readNicEdit(device, key, backing, connectable, invalid, typeOf);
  }
  const port = source.ports.find((p) => p.key === key);
  if (!port || port.fileName === undefined) throw invalid('device');
  const fileName = backing ? childText(backing, 'fileName') : undefined;
  if (backing && (fileName === undefined || !/FileBackingInfo$/.test(backing.xsiType ?? 'FileBackingInfo')))
    throw invalid('device.backing');
  return { key, target: 'port', fileName };
}

function readNicEdit(
  device: XmlNode,
  key: number,
  backing: XmlNode | undefined,
  connectable: XmlNode | undefined,
  invalid: (property: string) => Error,
  typeOf: TypeOf,
): DeviceEdit {
  const addressType = childText(device, 'addressType') as DeviceEdit['addressType'] | undefined;
  const macAddress = childText(device, 'macAddress')?.toLowerCase() || undefined;
  if (addressType !== undefined && !['manual', 'assigned', 'generated'].includes(addressType))
    throw invalid('device.addressType');
  if (addressType === 'manual' && (macAddress === undefined || !isManualMac(macAddress)))
    throw invalid('device.macAddress');
  const migrateConnect = connectable
    ? (childText(connectable, 'migrateConnect') as DeviceEdit['migrateConnect'])
    : undefined;
  return {
    key,
    target: 'nic',
    network: backing ? readNetwork(backing, invalid, typeOf) : undefined,
    addressType,
    macAddress: addressType === 'manual' ? macAddress : undefined,
    migrateConnect,
    connected: connectable ? parseBoolean(childText(connectable, 'connected')) : undefined,
    startConnected: connectable ? parseBoolean(childText(connectable, 'startConnected')) : undefined,
    allowGuestControl: connectable ? parseBoolean(childText(connectable, 'allowGuestControl')) : undefined,
  };
}

// Standard portgroups name a Network moref; DVS backings name the portgroup by key (its moref value here).
function readNetwork(backing: XmlNode, invalid: (property: string) => Error, typeOf: TypeOf): string | undefined {
  const network = readMoRef(child(backing, 'network'));
  if (network) {
    if (typeOf(network.value) === undefined) throw faults.managedObjectNotFound(network.type, network.value);
    return network.value;
  }
  const port = child(backing, 'port');
  if (port) {
    const portgroupKey = childText(port, 'portgroupKey');
    if (!portgroupKey || typeOf(portgroupKey) !== 'DistributedVirtualPortgroup')
      throw invalid('device.backing.port.portgroupKey');
    return portgroupKey;
  }
  return undefined;
}

/**
 * Stores an entity name the way vCenter does: `/`, `\\` and a `%` that does not start an escape become `%2f`,
 * `%5c` and `%25`, so `a/b` shows up as `a%2fb` in `name` and in inventory paths (reference §2.4).
 */
export function escapeEntityName(name: string): string {
  return name
    .replace(/%(?![0-9a-fA-F]{2})/g, '%25')
    .replace(/\//g, '%2f')
    .replace(/\\/g, '%5c');
}

/** True for a MAC in VMware's static range 00:50:56:00:00:00–00:50:56:3f:ff:ff. */
export function isManualMac(mac: string): boolean {
  if (!MAC.test(mac)) return false;
  const [a, b, c, d] = mac.toLowerCase().split(':');
  return a === '00' && b === '50' && c === '56' && Number.parseInt(d ?? 'ff', 16) <= 0x3f;
}
