/**
 * The simulator's object model: plain records keyed by moref value. Inventory records mirror the vim25 managed
 * entities the service touches; everything a client can see is derived from these by `properties/*`.
 */

export type PowerState = 'poweredOn' | 'poweredOff' | 'suspended';
/** vim25 `VirtualEthernetCardMacType`. */
export type AddressType = 'manual' | 'assigned' | 'generated';

/** A virtual NIC as the public API shows it. `network` is the moref value of a Network or DistributedVirtualPortgroup. */
export interface SimNic {
  key: number;
  label: string;
  macAddress: string;
  addressType: AddressType;
  connected: boolean;
  startConnected: boolean;
  network: string;
}

/** The public view of a simulated VM (see index.ts); internal code uses `VmRecord`, which extends it. */
export interface SimVm {
  moref: string;
  name: string;
  /** moref value of the VM's folder */
  folder: string;
  host: string;
  pool: string;
  powerState: PowerState;
  frozen: boolean;
  extraConfig: Record<string, string>;
  nics: SimNic[];
  biosUuid: string;
  instanceUuid: string;
  guest: { ipAddress?: string; hostName?: string };
  /** Delta disks stacked on the VM's base disk by instant clones taken while it was running. */
  deltaDiskDepth: number;
}

/** A NIC as the simulator keeps it (device type and DVS port besides the public fields). */
export interface NicRecord extends SimNic {
  deviceType: string;
  allowGuestControl: boolean;
  /** DVS port key when on a distributed portgroup; cleared on clones (the source keeps its port). */
  portKey?: string;
}

/** A virtual disk backing; instant clones stack delta disks (`parentFileNames`). */
export interface DiskRecord {
  key: number;
  label: string;
  fileName: string;
  capacityKB: number;
  /** The backing files this delta disk sits on, nearest first (the whole chain, as vCenter reports it). */
  parentFileNames?: string[];
}

/** A serial or parallel port; only file-backed ones may be edited by InstantClone. */
export interface SerialPortRecord {
  key: number;
  label: string;
  kind: 'serial' | 'parallel';
  /** Set for file-backed ports, the only kind InstantClone may edit. */
  fileName?: string;
  uri?: string;
}

/** The full VM record behind `SimVm`. */
export interface VmRecord extends SimVm {
  readonly type: 'VirtualMachine';
  nics: NicRecord[];
  datastore: string;
  disks: DiskRecord[];
  ports: SerialPortRecord[];
  numCpu: number;
  memoryMB: number;
  guestId: string;
  bootTime?: Date;
  recentTasks: string[];
  /** A clone whose guest still reports its source's identity (it re-identifies after `guestIpDelayMs`). */
  staleGuest?: boolean;
}

interface EntityBase {
  readonly moref: string;
  name: string;
  parent?: string;
}

/** A Folder; `children` are moref values in insertion order. */
export interface FolderRecord extends EntityBase {
  readonly type: 'Folder';
  childType: string[];
  children: string[];
}

/** A Datacenter and its four root folders. */
export interface DatacenterRecord extends EntityBase {
  readonly type: 'Datacenter';
  vmFolder: string;
  hostFolder: string;
  datastoreFolder: string;
  networkFolder: string;
}

/** A cluster or standalone ComputeResource with its hosts and root pool. */
export interface ComputeRecord extends EntityBase {
  readonly type: 'ClusterComputeResource' | 'ComputeResource';
  hosts: string[];
  resourcePool: string;
  datastores: string[];
  networks: string[];
}

/** A HostSystem. */
export interface HostRecord extends EntityBase {
  readonly type: 'HostSystem';
  datastores: string[];
  networks: string[];
}

/** A ResourcePool; VMs point at their pool, so `pools` lists only child pools. */
export interface PoolRecord extends EntityBase {
  readonly type: 'ResourcePool';
  owner: string;
  pools: string[];
}

/** A Datastore. */
export interface DatastoreRecord extends EntityBase {
  readonly type: 'Datastore';
  capacity: number;
  freeSpace: number;
  url: string;
}

/** A standard Network or a DistributedVirtualPortgroup. */
export interface NetworkRecord extends EntityBase {
  readonly type: 'Network' | 'DistributedVirtualPortgroup';
  /** Portgroup key and owning switch (DistributedVirtualPortgroup only). */
  key?: string;
  dvs?: string;
}

/** A VmwareDistributedVirtualSwitch. */
export interface DvsRecord extends EntityBase {
  readonly type: 'VmwareDistributedVirtualSwitch';
  uuid: string;
  portgroups: string[];
}

/** Every inventory entity, discriminated by `type`. */
export type EntityRecord =
  | FolderRecord
  | DatacenterRecord
  | ComputeRecord
  | HostRecord
  | PoolRecord
  | DatastoreRecord
  | NetworkRecord
  | DvsRecord
  | VmRecord;

/** Types that may hold other entities (the legal `container` of a ContainerView, FindChild parents). */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set([
  'Folder',
  'Datacenter',
  'ComputeResource',
  'ClusterComputeResource',
  'HostSystem',
  'ResourcePool',
  'VirtualApp',
]);

/** The vim25 type hierarchy the PropertyCollector needs to match `propSet.type` against supertypes. */
const SUPERTYPE: Record<string, string> = {
  Folder: 'ManagedEntity',
  Datacenter: 'ManagedEntity',
  ComputeResource: 'ManagedEntity',
  ClusterComputeResource: 'ComputeResource',
  HostSystem: 'ManagedEntity',
  ResourcePool: 'ManagedEntity',
  VirtualApp: 'ResourcePool',
  Datastore: 'ManagedEntity',
  Network: 'ManagedEntity',
  DistributedVirtualPortgroup: 'Network',
  DistributedVirtualSwitch: 'ManagedEntity',
  VmwareDistributedVirtualSwitch: 'DistributedVirtualSwitch',
  VirtualMachine: 'ManagedEntity',
  ManagedEntity: 'ExtensibleManagedObject',
  Task: 'ExtensibleManagedObject',
  ContainerView: 'ManagedObjectView',
  ManagedObjectView: 'View',
};

/** True when `type` is `wanted` or one of its subtypes (`VirtualMachine` is a `ManagedEntity`). */
export function isKindOf(type: string, wanted: string): boolean {
  for (let t: string | undefined = type; t !== undefined; t = SUPERTYPE[t]) if (t === wanted) return true;
  return false;
}

/** True when `type` names a vim25 managed object type the simulator knows. */
export function isKnownType(type: string): boolean {
  return type in SUPERTYPE || Object.values(SUPERTYPE).includes(type);
}
