import { randomUUID } from 'node:crypto';
import { Inventory } from './inventory.js';
import type { ComputeRecord, DatacenterRecord, FolderRecord, HostRecord, PoolRecord, VmRecord } from './model.js';

/** Inventory sizes; the defaults reproduce govmomi's VPX model (design §10). */
export interface InventoryOptions {
  /** Datacenters `DC0`…; default 1. */
  datacenters?: number;
  /** Clusters per datacenter `DC0_C0`…; default 1. */
  clusters?: number;
  /** Hosts per cluster `DC0_C0_H0`…; default 3. */
  hosts?: number;
  /** Standalone hosts per datacenter `DC0_H0`…; default 1. */
  standaloneHosts?: number;
  /** VMs per standalone host and per cluster (`DC0_H0_VM0`, `DC0_C0_RP0_VM0`); default 2. */
  vmsPerHost?: number;
  /** Total VMs, spread round-robin over standalone hosts and clusters; overrides `vmsPerHost`. */
  vms?: number;
  /** NIC device type of generated VMs; default alternates VirtualE1000 / VirtualVmxnet3. */
  nicType?: 'VirtualE1000' | 'VirtualVmxnet3';
}

interface Placement {
  prefix: string;
  compute: ComputeRecord;
  datacenter: DatacenterRecord;
}

/**
 * Builds the default inventory: root folder `group-d1` → `DC0` with `vm`, `host`, `datastore`, `network` folders;
 * cluster `DC0_C0` (hosts `DC0_C0_H0..`), standalone host `DC0_H0`, datastore `LocalDS_0`, network `VM Network`,
 * switch `DC0_DVS` with portgroup `DC0_DVPG0`, and powered-on VMs with one NIC (key 4000) and one disk each.
 */
export function buildInventory(options: InventoryOptions = {}): Inventory {
  const inv = new Inventory();
  const root = inv.add<FolderRecord>({
    type: 'Folder',
    moref: inv.rootFolder,
    name: 'Datacenters',
    childType: ['Folder', 'Datacenter'],
    children: [],
  });
  const places: Placement[] = [];
  for (let d = 0; d < (options.datacenters ?? 1); d++) places.push(...buildDatacenter(inv, root, `DC${d}`, options));
  const perPlace = options.vmsPerHost ?? 2;
  const counts = new Map<Placement, number>();
  const total = options.vms ?? perPlace * places.length;
  for (let i = 0; i < total && places.length > 0; i++) {
    const place = places[i % places.length]!;
    const n = counts.get(place) ?? 0;
    counts.set(place, n + 1);
    addVm(inv, place, n, options.nicType ?? (i % 2 === 0 ? 'VirtualVmxnet3' : 'VirtualE1000'));
  }
  return inv;
}

const FOLDER_LETTER: Record<string, string> = { vm: 'v', host: 'h', datastore: 's', network: 'n' };

function folder(inv: Inventory, parent: string, name: string, childType: string[]): FolderRecord {
  // vCenter names folders group-v (VMs), group-h (hosts), group-s (datastores), group-n (networks).
  return inv.add<FolderRecord>({
    type: 'Folder',
    moref: inv.newMoref(`group-${FOLDER_LETTER[name] ?? 'f'}`, ''),
    name,
    parent,
    childType,
    children: [],
  });
}

function buildDatacenter(inv: Inventory, root: FolderRecord, name: string, options: InventoryOptions): Placement[] {
  const dcMoref = inv.newMoref('datacenter');
  const vmFolder = folder(inv, dcMoref, 'vm', ['Folder', 'VirtualMachine', 'VirtualApp']);
  const hostFolder = folder(inv, dcMoref, 'host', ['Folder', 'ComputeResource']);
  const dsFolder = folder(inv, dcMoref, 'datastore', ['Folder', 'Datastore', 'StoragePod']);
  const netFolder = folder(inv, dcMoref, 'network', ['Folder', 'Network', 'DistributedVirtualSwitch']);
  const datacenter = inv.add<DatacenterRecord>({
    type: 'Datacenter',
    moref: dcMoref,
    name,
    parent: root.moref,
    vmFolder: vmFolder.moref,
    hostFolder: hostFolder.moref,
    datastoreFolder: dsFolder.moref,
    networkFolder: netFolder.moref,
  });
  root.children.push(dcMoref);

  const ds = inv.add({
    type: 'Datastore',
    moref: inv.newMoref('datastore'),
    name: name === 'DC0' ? 'LocalDS_0' : `${name}_LocalDS_0`,
    parent: dsFolder.moref,
    capacity: 4 * 1024 ** 4,
    freeSpace: 3 * 1024 ** 4,
    url: `ds:///vmfs/volumes/${randomUUID().slice(0, 8)}/`,
  } as const);
  dsFolder.children.push(ds.moref);
  const net = inv.add({ type: 'Network', moref: inv.newMoref('network'), name: 'VM Network', parent: netFolder.moref });
  const dvs = inv.add({
    type: 'VmwareDistributedVirtualSwitch',
    moref: inv.newMoref('dvs'),
    name: `${name}_DVS`,
    parent: netFolder.moref,
    uuid: randomUUID().replace(/-/g, ' ').slice(0, 47),
    portgroups: [] as string[],
  } as const);
  const pgMoref = inv.newMoref('dvportgroup');
  inv.add({
    type: 'DistributedVirtualPortgroup',
    moref: pgMoref,
    name: `${name}_DVPG0`,
    parent: netFolder.moref,
    key: pgMoref,
    dvs: dvs.moref,
  });
  dvs.portgroups.push(pgMoref);
  netFolder.children.push(net.moref, dvs.moref, pgMoref);

  const shared = { datastores: [ds.moref], networks: [net.moref, pgMoref] };
  const places: Placement[] = [];
  for (let h = 0; h < (options.standaloneHosts ?? 1); h++) {
    const prefix = `${name}_H${h}`;
    places.push({ prefix, datacenter, compute: compute(inv, hostFolder, 'ComputeResource', prefix, [prefix], shared) });
  }
  for (let c = 0; c < (options.clusters ?? 1); c++) {
    const cluster = `${name}_C${c}`;
    const hostNames = Array.from({ length: options.hosts ?? 3 }, (_, h) => `${cluster}_H${h}`);
    places.push({
      prefix: `${cluster}_RP0`,
      datacenter,
      compute: compute(inv, hostFolder, 'ClusterComputeResource', cluster, hostNames, shared),
    });
  }
  return places;
}

function compute(
  inv: Inventory,
  hostFolder: FolderRecord,
  type: ComputeRecord['type'],
  name: string,
  hostNames: string[],
  shared: { datastores: string[]; networks: string[] },
): ComputeRecord {
  const moref = inv.newMoref(type === 'ClusterComputeResource' ? 'domain-c' : 'domain-s', '');
  const pool = inv.add<PoolRecord>({
    type: 'ResourcePool',
    moref: inv.newMoref('resgroup'),
    name: 'Resources',
    parent: moref,
    owner: moref,
    pools: [],
  });
  const hosts = hostNames.map((hostName) =>
    inv.add<HostRecord>({
      type: 'HostSystem',
      moref: inv.newMoref('host'),
      name: hostName,
      parent: moref,
      ...copy(shared),
    }),
  );
  hostFolder.children.push(moref);
  return inv.add<ComputeRecord>({
    type,
    moref,
    name,
    parent: hostFolder.moref,
    hosts: hosts.map((h) => h.moref),
    resourcePool: pool.moref,
    ...copy(shared),
  });
}

function copy(shared: { datastores: string[]; networks: string[] }): { datastores: string[]; networks: string[] } {
  return { datastores: [...shared.datastores], networks: [...shared.networks] };
}

function addVm(inv: Inventory, place: Placement, index: number, nicType: string): VmRecord {
  const name = `${place.prefix}_VM${index}`;
  const hosts = place.compute.hosts;
  const host = hosts[index % hosts.length]!;
  const datastore = place.compute.datastores[0]!;
  const dsName = inv.get(datastore)?.name ?? 'LocalDS_0';
  const network = place.compute.networks[0]!;
  return inv.addVm({
    type: 'VirtualMachine',
    moref: inv.newMoref('vm'),
    name,
    folder: place.datacenter.vmFolder,
    host,
    pool: place.compute.resourcePool,
    powerState: 'poweredOn',
    frozen: false,
    extraConfig: {},
    nics: [
      {
        key: 4000,
        label: 'Network adapter 1',
        deviceType: nicType,
        macAddress: inv.allocateMac(),
        addressType: 'assigned',
        connected: true,
        startConnected: true,
        allowGuestControl: true,
        network,
      },
    ],
    biosUuid: randomUUID(),
    instanceUuid: randomUUID(),
    guest: { ipAddress: inv.allocateIp(), hostName: name.toLowerCase().replace(/_/g, '-') },
    deltaDiskDepth: 0,
    datastore,
    disks: [
      { key: 2000, label: 'Hard disk 1', fileName: `[${dsName}] ${name}/${name}.vmdk`, capacityKB: 10 * 1024 * 1024 },
    ],
    ports: [{ key: 9000, label: 'Serial port 1', kind: 'serial', fileName: `[${dsName}] ${name}/serial0.log` }],
    numCpu: 1,
    memoryMB: 1024,
    guestId: 'otherGuest64',
    bootTime: new Date(),
    recentTasks: [],
  });
}
