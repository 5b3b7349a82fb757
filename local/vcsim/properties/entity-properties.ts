import type { Inventory } from '../inventory.js';
import type { EntityRecord, VmRecord } from '../model.js';
import { arr, bool, enumValue, int, long, moref, obj, str, type VimValue } from '../soap/vim-value.js';
import type { Getter, PropertyContext } from './property-context.js';
import { vmProperties } from './vm-properties.js';

/** An ArrayOfManagedObjectReference of inventory morefs, each typed from the inventory. */
export const refs = (inv: Inventory, morefs: readonly string[]): VimValue =>
  arr(
    'ManagedObjectReference',
    morefs.map((m) => moref(inv.get(m)?.type ?? 'ManagedEntity', m)),
  );

function entity(ctx: PropertyContext, m: string): EntityRecord | undefined {
  return ctx.state.inventory.get(m);
}

/** Properties every ManagedEntity has. */
export const managedEntityProperties: Record<string, Getter> = {
  name: (m, ctx) => {
    const e = entity(ctx, m);
    return e ? str(e.name) : undefined;
  },
  parent: (m, ctx) => {
    const e = entity(ctx, m);
    const parent = e?.type === 'VirtualMachine' ? e.folder : e?.parent;
    return parent === undefined ? undefined : moref(ctx.state.typeOf(parent) ?? 'ManagedEntity', parent);
  },
  overallStatus: () => enumValue('ManagedEntityStatus', 'green'),
  configStatus: () => enumValue('ManagedEntityStatus', 'green'),
};

/** Inventory entity properties by type (VirtualMachine's come from vm-properties). */
export const entityProperties: Record<string, Record<string, Getter>> = {
  Folder: {
    childEntity: (m, ctx) => {
      const e = entity(ctx, m);
      return e?.type === 'Folder' ? refs(ctx.state.inventory, e.children) : undefined;
    },
    childType: (m, ctx) => {
      const e = entity(ctx, m);
      return e?.type === 'Folder' ? arr('string', e.childType.map(str)) : undefined;
    },
  },
  Datacenter: {
    vmFolder: (m, ctx) => folderRef(ctx, m, 'vmFolder'),
    hostFolder: (m, ctx) => folderRef(ctx, m, 'hostFolder'),
    datastoreFolder: (m, ctx) => folderRef(ctx, m, 'datastoreFolder'),
    networkFolder: (m, ctx) => folderRef(ctx, m, 'networkFolder'),
    datastore: (m, ctx) => childrenOfType(ctx, m, 'datastoreFolder', 'Datastore'),
    network: (m, ctx) => childrenOfType(ctx, m, 'networkFolder', 'Network'),
  },
  ComputeResource: computeTable(),
  ClusterComputeResource: computeTable(),
  HostSystem: {
    vm: (m, ctx) => vmRefs(ctx, (vm) => vm.host === m),
    datastore: (m, ctx) =>
      withEntity(ctx, m, (e) => (e.type === 'HostSystem' ? refs(ctx.state.inventory, e.datastores) : undefined)),
    network: (m, ctx) =>
      withEntity(ctx, m, (e) => (e.type === 'HostSystem' ? refs(ctx.state.inventory, e.networks) : undefined)),
    runtime: () =>
      obj('HostRuntimeInfo', [
        ['connectionState', enumValue('HostSystemConnectionState', 'connected')],
        ['powerState', enumValue('HostSystemPowerState', 'poweredOn')],
        ['inMaintenanceMode', bool(false)],
      ]),
  },
  ResourcePool: {
    owner: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'ResourcePool' ? moref(ctx.state.typeOf(e.owner) ?? 'ComputeResource', e.owner) : undefined,
      ),
    resourcePool: (m, ctx) =>
      withEntity(ctx, m, (e) => (e.type === 'ResourcePool' ? refs(ctx.state.inventory, e.pools) : undefined)),
    vm: (m, ctx) => vmRefs(ctx, (vm) => vm.pool === m),
  },
  Datastore: {
    summary: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'Datastore'
          ? obj('DatastoreSummary', [
              ['datastore', moref('Datastore', m)],
              ['name', str(e.name)],
              ['url', str(e.url)],
              ['capacity', long(e.capacity)],
              ['freeSpace', long(e.freeSpace)],
              ['accessible', bool(true)],
              ['multipleHostAccess', bool(false)],
              ['type', str('VMFS')],
            ])
          : undefined,
      ),
    vm: (m, ctx) => vmRefs(ctx, (vm) => vm.datastore === m),
  },
  Network: {
    vm: (m, ctx) => vmRefs(ctx, (vm) => vm.nics.some((nic) => nic.network === m)),
  },
  DistributedVirtualPortgroup: {
    vm: (m, ctx) => vmRefs(ctx, (vm) => vm.nics.some((nic) => nic.network === m)),
    key: (m, ctx) =>
      withEntity(ctx, m, (e) => (e.type === 'DistributedVirtualPortgroup' ? str(e.key ?? m) : undefined)),
    config: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'DistributedVirtualPortgroup'
          ? obj('DVPortgroupConfigInfo', [
              ['key', str(e.key ?? m)],
              ['name', str(e.name)],
              ['numPorts', int(128)],
              [
                'distributedVirtualSwitch',
                e.dvs === undefined ? undefined : moref('VmwareDistributedVirtualSwitch', e.dvs),
              ],
              ['type', str('earlyBinding')],
            ])
          : undefined,
      ),
  },
  VmwareDistributedVirtualSwitch: {
    uuid: (m, ctx) =>
      withEntity(ctx, m, (e) => (e.type === 'VmwareDistributedVirtualSwitch' ? str(e.uuid) : undefined)),
    portgroup: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'VmwareDistributedVirtualSwitch' ? refs(ctx.state.inventory, e.portgroups) : undefined,
      ),
  },
  VirtualMachine: Object.fromEntries(
    Object.entries(vmProperties).map(([name, get]) => [
      name,
      (m: string, ctx: PropertyContext) => {
        const vm = ctx.state.inventory.getVm(m);
        return vm ? get(vm, ctx.state.inventory) : undefined;
      },
    ]),
  ),
};

function computeTable(): Record<string, Getter> {
  return {
    host: (m, ctx) => withEntity(ctx, m, (e) => ('hosts' in e ? refs(ctx.state.inventory, e.hosts) : undefined)),
    resourcePool: (m, ctx) =>
      withEntity(ctx, m, (e) => ('resourcePool' in e ? moref('ResourcePool', e.resourcePool) : undefined)),
    datastore: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'ComputeResource' || e.type === 'ClusterComputeResource'
          ? refs(ctx.state.inventory, e.datastores)
          : undefined,
      ),
    network: (m, ctx) =>
      withEntity(ctx, m, (e) =>
        e.type === 'ComputeResource' || e.type === 'ClusterComputeResource'
          ? refs(ctx.state.inventory, e.networks)
          : undefined,
      ),
  };
}

function withEntity(
  ctx: PropertyContext,
  m: string,
  fn: (e: EntityRecord) => VimValue | undefined,
): VimValue | undefined {
  const e = entity(ctx, m);
  return e ? fn(e) : undefined;
}

function folderRef(
  ctx: PropertyContext,
  m: string,
  field: 'vmFolder' | 'hostFolder' | 'datastoreFolder' | 'networkFolder',
): VimValue | undefined {
  const e = entity(ctx, m);
  return e?.type === 'Datacenter' ? moref('Folder', e[field]) : undefined;
}

function childrenOfType(
  ctx: PropertyContext,
  m: string,
  field: 'datastoreFolder' | 'networkFolder',
  kind: string,
): VimValue | undefined {
  const e = entity(ctx, m);
  if (e?.type !== 'Datacenter') return undefined;
  const folder = ctx.state.inventory.getFolder(e[field]);
  const children = (folder?.children ?? []).filter((c) => {
    const t = ctx.state.typeOf(c);
    return t === kind || (kind === 'Network' && t === 'DistributedVirtualPortgroup');
  });
  return refs(ctx.state.inventory, children);
}

function vmRefs(ctx: PropertyContext, match: (vm: VmRecord) => boolean): VimValue {
  return arr(
    'ManagedObjectReference',
    ctx.state.inventory
      .vms()
      .filter(match)
      .map((vm) => moref('VirtualMachine', vm.moref)),
  );
}
