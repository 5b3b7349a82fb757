import { faults, localizedMethodFault, type VimFault } from '../soap/faults.js';
import { arr, moref, obj } from '../soap/vim-value.js';
import { child, readMoRef } from '../soap/xml-reader.js';
import { cloneFolder } from './clone-folder.js';
import { MAX_DELTA_DISK_DEPTH } from './instant-clone.js';
import { readInstantCloneSpec } from './instant-clone-spec.js';
import type { MethodDefinition } from './method.js';

/**
 * `VirtualMachineProvisioningChecker.CheckInstantClone_Task` (reference §2.9): the InstantClone rules as a preflight.
 * Spec problems fault synchronously exactly as InstantClone_Task would; operational problems (power state, name
 * taken, delta-disk chain) become `CheckResult.error` entries of the task result (`ArrayOfCheckResult`).
 */
export const checkInstantClone: MethodDefinition = {
  on: ['VirtualMachineProvisioningChecker'],
  run: (ctx) => {
    const { state } = ctx;
    const ref = readMoRef(child(ctx.request, 'vm'));
    if (!ref) throw faults.invalidArgument('vm');
    const vm = state.inventory.getVm(ref.value);
    if (!vm) throw faults.managedObjectNotFound(ref.type, ref.value);
    const spec = readInstantCloneSpec(ctx.request, vm, (m) => state.typeOf(m));
    const folder = cloneFolder(state.inventory, vm, spec.folder?.value);
    const task = state.tasks.create({
      name: 'CheckInstantClone_Task',
      descriptionId: 'VirtualMachineProvisioningChecker.checkInstantClone',
      entity: moref('VirtualMachine', vm.moref),
      entityName: vm.name,
      userName: ctx.session?.userName ?? '',
      durationMs: Math.min(state.options.taskDurationMs, 50),
      work: {
        complete: () => {
          const errors: VimFault[] = [];
          if (vm.powerState !== 'poweredOn') errors.push(faults.invalidPowerState('poweredOn', vm.powerState));
          const taken = state.inventory.vmInFolder(folder, spec.name);
          if (taken) errors.push(faults.duplicateName(spec.name, moref('VirtualMachine', taken)));
          if (!vm.frozen && vm.deltaDiskDepth >= MAX_DELTA_DISK_DEPTH) errors.push(faults.deltaDiskChainLimit());
          const result = obj('CheckResult', [
            ['vm', moref('VirtualMachine', vm.moref)],
            ['host', moref('HostSystem', vm.host)],
            ['warning', arr('LocalizedMethodFault', [])],
            ['error', arr('LocalizedMethodFault', errors.map(localizedMethodFault))],
          ]);
          return arr('CheckResult', [result]);
        },
      },
    });
    return moref('Task', task.moref);
  },
};
