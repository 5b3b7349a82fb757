/**
 * TaskInfo from property-collector updates and direct reads. An update carries either the whole `info` (a TaskInfo,
 * as with `partialUpdates=false` or a RetrievePropertiesEx of `info`) or nested paths: source filters ask only for
 * {@link TASK_INFO_PATHS}, which change when the task appears and when it ends (never for queued → running or
 * progress), so a wait costs one answer for each. Both forms are folded into one {@link TaskInfo}; a
 * `completeTime` without a state means success, or error when an error came with it.
 */
import { faultFromLocalizedMethodFault } from './faults.js';
import { asArray, child, int, moRef, type Node, text } from './soap/parse.js';
import type { MoRef, TaskInfo, TaskState } from './types.js';

const STATES: ReadonlySet<string> = new Set(['queued', 'running', 'success', 'error']);

/** What the client watches of a task (see the module comment). */
export const TASK_INFO_PATHS = ['info.entity', 'info.result', 'info.error', 'info.completeTime'] as const;

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
    case 'completeTime': {
      const at = text(value);
      if (at === undefined) delete info.completeTime;
      else info.completeTime = at;
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
    for (const field of ['state', 'progress', 'result', 'error', 'entity', 'entityName', 'completeTime']) {
      setField(info, field, child(value, field));
    }
    return true;
  }
  if (!name.startsWith('info.')) return false;
  setField(info, name.slice('info.'.length), op === 'assign' ? value : undefined);
  return true;
}

/** Applies one update's changes, then derives the end state from `completeTime` when no state was reported. */
export function applyTaskChanges(info: TaskInfo, changes: ReadonlyArray<{ name: string; op: string; val: Node }>) {
  for (const change of changes) applyTaskChange(info, change.name, change.op, change.val);
  if (info.completeTime !== undefined && !isTaskDone(info)) info.state = info.error ? 'error' : 'success';
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

/**
 * Reads a RetrievePropertiesEx answer for tasks' `info` (see `taskInfoSpec`): a TaskInfo per task, or `gone` for a
 * task vCenter reports missing (`reportMissingObjectsInResults`). Tasks not in the answer are left out.
 */
export function readTaskInfos(retrieveResult: Node): Map<string, TaskInfo | 'gone'> {
  const out = new Map<string, TaskInfo | 'gone'>();
  for (const object of asArray(child(retrieveResult, 'objects'))) {
    const task = moRef<'Task'>(child(object, 'obj'));
    if (!task) continue;
    const prop = asArray(child(object, 'propSet')).find((p) => text(child(p, 'name')) === 'info');
    if (prop !== undefined) {
      const info = initialTaskInfo(task);
      applyTaskChanges(info, [{ name: 'info', op: 'assign', val: child(prop, 'val') }]);
      out.set(task.value, info);
      continue;
    }
    const missing = asArray(child(object, 'missingSet')).map((m) => faultFromLocalizedMethodFault(child(m, 'fault')));
    if (missing.some((fault) => fault.faultType === 'ManagedObjectNotFound')) out.set(task.value, 'gone');
  }
  return out;
}
