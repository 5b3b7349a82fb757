import { injectedFault } from '../fault-injection.js';
import type { PowerState, VmRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref } from '../soap/vim-value.js';
import { checkInstantClone } from './check-instant-clone.js';
import { instantClone } from './instant-clone.js';
import type { MethodContext, MethodDefinition, MethodTable } from './method.js';
import { reconfigure } from './reconfigure.js';

/**
 * VirtualMachine tasks and Task methods: InstantClone_Task, CheckInstantClone_Task, ReconfigVM_Task,
 * PowerOnVM_Task, PowerOffVM_Task, Destroy_Task and CancelTask. Power and destroy rules are checked when the task runs, so violations are task errors
 * (InvalidPowerState), as on real vCenter (reference §2.10).
 */
export const vmMethods: MethodTable = {
  InstantClone_Task: instantClone,
  CheckInstantClone_Task: checkInstantClone,
  ReconfigVM_Task: reconfigure,
  PowerOnVM_Task: vmTask('PowerOnVM_Task', 'VirtualMachine.powerOn', (vm) => {
    if (vm.powerState === 'poweredOn') throw faults.invalidPowerState('poweredOn', vm.powerState);
    setPower(vm, 'poweredOn');
  }),
  PowerOffVM_Task: vmTask('PowerOffVM_Task', 'VirtualMachine.powerOff', (vm) => {
    if (vm.powerState === 'poweredOff') throw faults.invalidPowerState('poweredOff', vm.powerState);
    setPower(vm, 'poweredOff');
  }),
  Destroy_Task: vmTask('Destroy_Task', 'VirtualMachine.destroy', (vm, ctx) => {
    if (vm.powerState === 'poweredOn') throw faults.invalidPowerState('poweredOff', vm.powerState);
    ctx.state.inventory.removeVm(vm);
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

/** Applies a power state the way the task effects and the `setPowerState` test hook both need. */
export function setPower(vm: VmRecord, powerState: PowerState): void {
  vm.powerState = powerState;
  if (powerState === 'poweredOn') vm.bootTime = new Date();
  // A powered-off VM is no longer frozen, and a power cycle consolidates the instant-clone delta chain.
  if (powerState !== 'poweredOn') {
    vm.frozen = false;
  }
}

function vmTask(
  name: string,
  descriptionId: string,
  effect: (vm: VmRecord, ctx: MethodContext) => void,
): MethodDefinition {
  return {
    on: ['VirtualMachine'],
    run: (ctx) => {
      const vm = ctx.state.inventory.getVm(ctx.self.value)!;
      const task = ctx.state.tasks.create({
        name,
        descriptionId,
        entity: moref('VirtualMachine', vm.moref),
        entityName: vm.name,
        userName: ctx.session?.userName ?? '',
        durationMs: Math.min(ctx.state.options.taskDurationMs, 100),
        work: {
          complete: () => {
            const current = ctx.state.inventory.getVm(vm.moref);
            if (!current) throw faults.managedObjectNotFound('VirtualMachine', vm.moref);
            if (ctx.injected?.effect === 'taskFault') throw injectedFault(ctx.injected.fault, vm.moref);
            effect(current, ctx);
            ctx.state.inventory.changed();
            return undefined;
          },
        },
      });
      vm.recentTasks = [...vm.recentTasks.slice(-9), task.moref];
      return moref('Task', task.moref);
    },
  };
}
