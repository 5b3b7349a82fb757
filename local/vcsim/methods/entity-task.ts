import { injectedFault } from '../fault-injection.js';
import type { EntityRecord } from '../model.js';
import { faults } from '../soap/faults.js';
import { moref, type VimMoRef } from '../soap/vim-value.js';
import type { MethodContext } from './method.js';

/**
 * Starts a short task (at most 100 ms) on `_this` whose `effect` runs when the task completes, on the entity as it
 * is then: rules checked there are task errors, as vCenter reports them for power, destroy and rename. The task
 * fails ManagedObjectNotFound when the entity vanished meanwhile, and honours an injected `taskFault`.
 * @returns the Task moref the `*_Task` method answers.
 */
export function entityTask(
  ctx: MethodContext,
  name: string,
  verb: string,
  effect: (entity: EntityRecord) => void,
): VimMoRef {
  const { state, self } = ctx;
  const entity = state.inventory.get(self.value)!;
  const task = state.tasks.create({
    name,
    descriptionId: `${entity.type}.${verb}`,
    entity: moref(entity.type, entity.moref),
    entityName: entity.name,
    userName: ctx.session?.userName ?? '',
    durationMs: Math.min(state.options.taskDurationMs, 100),
    work: {
      complete: () => {
        const current = state.inventory.get(entity.moref);
        if (!current) throw faults.managedObjectNotFound(entity.type, entity.moref);
        if (ctx.injected?.effect === 'taskFault') throw injectedFault(ctx.injected, entity.moref);
        effect(current);
        state.inventory.changed();
        return undefined;
      },
    },
  });
  if (entity.type === 'VirtualMachine') entity.recentTasks = [...entity.recentTasks.slice(-9), task.moref];
  return moref('Task', task.moref);
}
