import { localizedMethodFault } from '../soap/faults.js';
import { anyType, bool, dateTime, enumValue, int, moref, obj, str, type VimObject } from '../soap/vim-value.js';
import type { TaskRecord } from '../tasks.js';

/**
 * `TaskInfo` in schema order, filled as vCenter fills it (reference §1.5): key = moref value, `name` the WSDL method,
 * `descriptionId`, entity and its display name, state, cancelled/cancelable, error as LocalizedMethodFault, result
 * `xsi:type="ManagedObjectReference"`, progress (0 and 50 while running, 100 once succeeded, absent when queued or
 * failed, so no client reads a finished task as 0 %), `TaskReasonUser`, the three times and eventChainId.
 */
export function taskInfo(task: TaskRecord): VimObject {
  return obj('TaskInfo', [
    ['key', str(task.moref)],
    ['task', moref('Task', task.moref)],
    ['name', str(task.name)],
    ['descriptionId', str(task.descriptionId)],
    ['entity', task.entity],
    ['entityName', str(task.entityName)],
    ['state', enumValue('TaskInfoState', task.state)],
    ['cancelled', bool(task.cancelled)],
    ['cancelable', bool(task.cancelable)],
    ['error', task.error ? localizedMethodFault(task.error) : undefined],
    ['result', task.result ? anyType(task.result) : undefined],
    ['progress', task.state === 'error' || task.progress === undefined ? undefined : int(task.progress)],
    ['reason', obj('TaskReasonUser', [['userName', str(task.userName)]], true)],
    ['queueTime', dateTime(task.queueTime)],
    ['startTime', task.startTime ? dateTime(task.startTime) : undefined],
    ['completeTime', task.completeTime ? dateTime(task.completeTime) : undefined],
    ['eventChainId', int(task.eventChainId)],
  ]);
}
