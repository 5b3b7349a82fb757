import type { PowerState, VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import type { SimState } from '../state.js';
import { checkInstantClone } from './check-instant-clone.js';
import { entityTask } from './entity-task.js';
import { instantClone } from './instant-clone.js';
import type { MethodDefinition, MethodTable } from './method.js';
import { reconfigure } from './reconfigure.js';

/**
 * VirtualMachine tasks and Task methods: InstantClone_Task, CheckInstantClone_Task, ReconfigVM_Task,
 * PowerOnVM_Task, PowerOffVM_Task and CancelTask (Destroy_Task and Rename_Task are in entity-methods). Power rules
 * are checked when the task runs, so violations are task errors (InvalidPowerState), as on real vCenter
 * (reference §2.10).
 */
export const vmMethods: MethodTable = {
  InstantClone_Task: instantClone,
  CheckInstantClone_Task: checkInstantClone,
  ReconfigVM_Task: reconfigure,
  PowerOnVM_Task: vmTask('PowerOnVM_Task', 'powerOn', (vm) => {
    if (vm.powerState === 'poweredOn') throw faults.invalidPowerState('poweredOn', vm.powerState);
    setPower(vm, 'poweredOn');
  }),
  PowerOffVM_Task: vmTask('PowerOffVM_Task', 'powerOff', (vm) => {
    if (vm.powerState === 'poweredOff') throw faults.invalidPowerState('poweredOff', vm.powerState);
    setPower(vm, 'poweredOff');
  }),
  CancelTask: {
    on: ['Task'],
    run: ({ state, self }) => {
      const task = state.tasks.get(self.value)!;
      state.tasks.cancel(task);
      return undefined;
    },
  },
};

/**
 * Destroy_Task of a VM (and of each VM inside a destroyed folder).
 * @throws VimFault InvalidPowerState while it is powered on.
 */
export function destroyVm(state: SimState, vm: VmRecord): void {
  if (vm.powerState === 'poweredOn') throw faults.invalidPowerState('poweredOff', vm.powerState);
  state.inventory.removeVm(vm);
}

/** Applies a power state the way the task effects and the `setPowerState` test hook both need. */
export function setPower(vm: VmRecord, powerState: PowerState): void {
  vm.powerState = powerState;
  if (powerState === 'poweredOn') vm.bootTime = new Date();
  // A powered-off VM is no longer frozen, and a power cycle consolidates the instant-clone delta chain.
  if (powerState !== 'poweredOn') {
    vm.frozen = false;
  }
}

function vmTask(name: string, verb: string, effect: (vm: VmRecord) => void): MethodDefinition {
  return { on: ['VirtualMachine'], run: (ctx) => entityTask(ctx, name, verb, (entity) => effect(entity as VmRecord)) };
}
