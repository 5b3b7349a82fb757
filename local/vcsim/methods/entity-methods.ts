import type { EntityRecord, FolderRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref } from '../soap/vim-value.js';
import { childText } from '../soap/xml-reader.js';
import type { SimState } from '../state.js';
import { entityTask } from './entity-task.js';
import { escapeEntityName } from './instant-clone-spec.js';
import type { MethodTable } from './method.js';
import { destroyVm } from './vm-methods.js';

/**
 * Folder.CreateFolder, and Rename_Task and Destroy_Task on folders and VMs. CreateFolder checks synchronously
 * (InvalidName, DuplicateName); rename and destroy rules are task errors. Destroying a folder destroys what it holds
 * first, child by child as vCenter (and govmomi's vcsim) do: the first child that cannot go (a powered-on VM) ends the
 * task in error and the children destroyed before it stay destroyed. The root folder and a datacenter's four folders
 * cannot be renamed or destroyed (NotSupported).
 */
export const entityMethods: MethodTable = {
  CreateFolder: {
    on: ['Folder'],
    run: ({ state, self, request }) => {
      const parent = state.inventory.getFolder(self.value)!;
      const name = entityName(childText(request, 'name'));
      const taken = state.inventory.findChild(parent, name);
      if (taken) throw faults.duplicateName(name, moref(taken.type, taken.moref));
      return moref('Folder', state.inventory.addFolder(parent, name).moref);
    },
  },
  Rename_Task: {
    on: ['Folder', 'VirtualMachine'],
    run: (ctx) => {
      const raw = childText(ctx.request, 'newName');
      return entityTask(ctx, 'Rename_Task', 'rename', (entity) => {
        refuseSpecialFolder(ctx.state, entity);
        const name = entityName(raw);
        const parent = ctx.state.inventory.get(
          entity.type === 'VirtualMachine' ? entity.folder : (entity.parent ?? ''),
        );
        const taken = parent ? ctx.state.inventory.findChild(parent, name) : undefined;
        if (taken && taken.moref !== entity.moref) throw faults.duplicateName(name, moref(taken.type, taken.moref));
        ctx.state.inventory.rename(entity, name);
      });
    },
  },
  Destroy_Task: {
    on: ['Folder', 'VirtualMachine'],
    run: (ctx) =>
      entityTask(ctx, 'Destroy_Task', 'destroy', (entity) => {
        if (entity.type === 'VirtualMachine') destroyVm(ctx.state, entity);
        else if (entity.type === 'Folder') destroyFolder(ctx.state, entity);
      }),
  },
};

/**
 * An entity name as vCenter stores it (escaped, see `escapeEntityName`).
 * @throws VimFault InvalidName when empty or 80 characters or longer.
 */
function entityName(raw: string | undefined): string {
  const name = escapeEntityName(raw ?? '');
  if (name === '' || name.length >= 80) throw faults.invalidName(name);
  return name;
}

function refuseSpecialFolder(state: SimState, entity: EntityRecord): void {
  if (entity.type !== 'Folder') return;
  const parent = entity.parent === undefined ? undefined : state.inventory.get(entity.parent);
  if (entity.moref === state.inventory.rootFolder || parent?.type === 'Datacenter') throw faults.notSupported();
}

function destroyFolder(state: SimState, folder: FolderRecord): void {
  refuseSpecialFolder(state, folder);
  for (const childMoref of [...folder.children]) {
    const child = state.inventory.get(childMoref);
    if (child?.type === 'VirtualMachine') destroyVm(state, child);
    else if (child?.type === 'Folder') destroyFolder(state, child);
    // Hosts, datastores and networks are not destroyed through a folder here (not modelled).
    else if (child) throw faults.notSupported();
  }
  state.inventory.removeFolder(folder);
}
