import type { EntityRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref, type VimMoRef } from '../soap/vim-value.js';
import { child, childText, parseBoolean, readMoRef } from '../soap/xml-reader.js';
import type { MethodTable } from './method.js';

const refOf = (entity: EntityRecord | undefined): VimMoRef | undefined =>
  entity === undefined ? undefined : moref(entity.type, entity.moref);

/**
 * SearchIndex (reference §2.4): FindByInventoryPath, FindChild, FindByUuid, FindAllByUuid. "Not found" is an empty
 * response, never a fault; only a bad `entity`/`datacenter` moref faults (ManagedObjectNotFound).
 */
export const searchMethods: MethodTable = {
  FindByInventoryPath: {
    on: ['SearchIndex'],
    run: ({ state, request }) => refOf(state.inventory.findByInventoryPath(childText(request, 'inventoryPath') ?? '')),
  },
  FindChild: {
    on: ['SearchIndex'],
    run: ({ state, request }) => {
      const ref = readMoRef(child(request, 'entity'));
      if (!ref) throw faults.invalidArgument('entity');
      const parent = state.inventory.get(ref.value);
      if (!parent) throw faults.managedObjectNotFound(ref.type, ref.value);
      return refOf(state.inventory.findChild(parent, childText(request, 'name') ?? ''));
    },
  },
  FindByUuid: {
    on: ['SearchIndex'],
    run: (ctx) => findByUuid(ctx, false),
  },
  FindAllByUuid: {
    on: ['SearchIndex'],
    run: (ctx) => findByUuid(ctx, true),
  },
};

function findByUuid(
  { state, request }: Parameters<MethodTable[string]['run']>[0],
  all: boolean,
): VimMoRef | VimMoRef[] | undefined {
  const uuid = (childText(request, 'uuid') ?? '').toLowerCase();
  const vmSearch = parseBoolean(childText(request, 'vmSearch')) ?? false;
  const byInstance = parseBoolean(childText(request, 'instanceUuid')) ?? false;
  const dc = readMoRef(child(request, 'datacenter'));
  if (dc && !state.inventory.get(dc.value)) throw faults.managedObjectNotFound(dc.type, dc.value);
  // Hosts have no simulated hardware UUID, so a host search never matches.
  if (!vmSearch) return all ? [] : undefined;
  const matches = state.inventory
    .vms()
    .filter((vm) => (byInstance ? vm.instanceUuid : vm.biosUuid).toLowerCase() === uuid)
    .filter((vm) => !dc || state.inventory.datacenterOf(vm.moref)?.moref === dc.value)
    .map((vm) => moref('VirtualMachine', vm.moref));
  return all ? matches : matches[0];
}
