/**
 * TaskInfo from property-collector updates. An update carries either the whole `info` (a TaskInfo, as with
 * `partialUpdates=false`) or nested paths such as `info.state` and `info.progress` (older clients, some servers);
 * both are folded into one {@link TaskInfo}.
 */
import { faultFromLocalizedMethodFault } from './faults.js';
import { asArray, child, int, moRef, type Node, text } from './soap/parse.js';
import type { MoRef, TaskInfo, TaskState } from './types.js';

const STATES: ReadonlySet<string> = new Set(['queued', 'running', 'success', 'error']);

export function isTaskDone(info: TaskInfo | undefined): info is TaskInfo & { state: 'success' | 'error' } {
  return info?.state === 'success' || info?.state === 'error';
}

function setField(info: TaskInfo, field: string, value: Node): void {
  switch (field) {
    case 'state': {
      const state = text(value);
      if (state !== undefined && STATES.has(state)) info.state = state as TaskState;
      return;
    }
    case 'progress': {
      const progress = int(value);
      if (progress === undefined) delete info.progress;
      else info.progress = progress;
      return;
    }
    case 'result': {
      const result = moRef(value);
      if (result) info.result = result;
      return;
    }
    case 'error':
      if (value !== undefined && value !== null) info.error = faultFromLocalizedMethodFault(value);
      return;
    case 'entity': {
      const entity = moRef(value);
      if (entity) info.entity = entity;
      return;
    }
    case 'entityName': {
      const name = text(value);
      if (name !== undefined) info.entityName = name;
      return;
    }
  }
}

/** A fresh TaskInfo for `task` before any update arrived. */
export function initialTaskInfo(task: MoRef<'Task'>): TaskInfo {
  return { moref: task, state: 'queued' };
}

/**
 * Applies one `changeSet` entry (`name` = `info` or `info.<field>`, `op` = assign/remove/…) to `info`.
 * @returns true when something of interest changed.
 */
export function applyTaskChange(info: TaskInfo, name: string, op: string, value: Node): boolean {
  if (name === 'info') {
    if (op !== 'assign') return false;
    for (const field of ['state', 'progress', 'result', 'error', 'entity', 'entityName']) {
      setField(info, field, child(value, field));
    }
    return true;
  }
  if (!name.startsWith('info.')) return false;
  setField(info, name.slice('info.'.length), op === 'assign' ? value : undefined);
  return true;
}

/** One task's entry in an UpdateSet: which filter reported it, `enter`/`modify`/`leave`, and its changes. */
export interface TaskUpdate {
  filter: string | undefined;
  task: MoRef<'Task'>;
  kind: string;
  changes: Array<{ name: string; op: string; val: Node }>;
}

/** Flattens a WaitForUpdatesEx UpdateSet into per-task updates (other object types are skipped). */
export function readTaskUpdates(updateSet: Node): TaskUpdate[] {
  const updates: TaskUpdate[] = [];
  for (const filterSet of asArray(child(updateSet, 'filterSet'))) {
    const filter = moRef(child(filterSet, 'filter'))?.value;
    for (const objectSet of asArray(child(filterSet, 'objectSet'))) {
      const task = moRef<'Task'>(child(objectSet, 'obj'));
      if (task?.type !== 'Task') continue;
      const changes = asArray(child(objectSet, 'changeSet')).map((change) => ({
        name: text(child(change, 'name')) ?? '',
        op: text(child(change, 'op')) ?? 'assign',
        val: child(change, 'val'),
      }));
      updates.push({ filter, task, kind: text(child(objectSet, 'kind')) ?? 'modify', changes });
    }
  }
  return updates;
}
