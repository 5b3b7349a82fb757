import type { FaultRule } from '../vcsim/index.js';

/**
 * The vCenter misbehaviour a chaos run injects, about 10 % of calls in all. Each rule is one kind of trouble the
 * worker must survive without losing a job or making a second VM:
 * - retryable task and call faults (TaskInProgress, a NotAuthenticated from a dropped session);
 * - transport trouble: connection resets and a load balancer's 503;
 * - terminal faults, which must end the job FAILED with no VM;
 * - an "orphan": the clone exists but its task reports an error, so only a lookup by the job's VM name finds it.
 * Session expiry for everyone is not a rule: the run triggers it on a timer through the admin API.
 */
export const CHAOS_FAULT_RULES: readonly FaultRule[] = [
  { method: 'InstantClone_Task', effect: 'taskFault', fault: 'TaskInProgress', probability: 0.03 },
  { method: 'InstantClone_Task', effect: 'fault', fault: 'InsufficientResourcesFault', probability: 0.01 },
  { method: 'InstantClone_Task', effect: 'orphan', fault: 'SystemError', probability: 0.01 },
  { effect: 'connectionReset', probability: 0.02 },
  { effect: 'http503', probability: 0.01 },
  { effect: 'sessionDrop', probability: 0.02 },
];
