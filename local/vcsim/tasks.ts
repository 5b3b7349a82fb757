import { faults, VimFault } from './soap/faults.js';
import type { VimMoRef, VimValue } from './soap/vim-value.js';

/** vim25 `TaskInfoState`. */
export type TaskState = 'queued' | 'running' | 'success' | 'error';

/** A vCenter Task as TaskInfo reports it (reference §1.5); `task-N` moref values. */
export interface TaskRecord {
  readonly type: 'Task';
  readonly moref: string;
  /** WSDL method name, e.g. `InstantClone_Task`. */
  readonly name: string;
  /** `<Type>.<vmodl method>`, e.g. `VirtualMachine.instantClone`. */
  readonly descriptionId: string;
  readonly entity: VimMoRef;
  readonly entityName: string;
  readonly userName: string;
  readonly cancelable: boolean;
  readonly eventChainId: number;
  readonly queueTime: Date;
  state: TaskState;
  cancelled: boolean;
  progress?: number;
  startTime?: Date;
  completeTime?: Date;
  error?: VimFault;
  /** The new VM's moref for clones; any vim25 value for other tasks (CheckResult[] for checks). */
  result?: VimValue;
}

/** What a task does: `start` may throw a VimFault (task error at once); `complete` produces the result. */
export interface TaskWork {
  start?(): void;
  complete(): VimValue | undefined;
  /** Called once when the task ends in error or cancellation, to release reservations. */
  abandon?(): void;
}

/** What `TaskManager.create` needs: TaskInfo identity fields, the running time and the work. */
export interface NewTask {
  name: string;
  descriptionId: string;
  entity: VimMoRef;
  entityName: string;
  userName: string;
  cancelable?: boolean;
  durationMs: number;
  work: TaskWork;
}

/**
 * Owns every task and drives each through queued → running (progress) → success | error on timers. Every state
 * change calls `notify` so property collectors see it. `close()` cancels pending timers so a stopped simulator
 * leaves nothing behind in the event loop.
 */
export class TaskManager {
  readonly tasks = new Map<string, TaskRecord>();
  private readonly work = new Map<string, TaskWork>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextChain = 1000;
  private readonly activeByName = new Map<string, number>();

  /** `lastKey`: the number of the last `task-N` handed out before (a restarted simulator never reuses one). */
  constructor(
    private readonly notify: () => void,
    private nextKey = 0,
  ) {}

  /** The number of the last `task-N` handed out. */
  get lastKey(): number {
    return this.nextKey;
  }

  /** Creates a queued task and schedules it; returns the record (its moref is what the *_Task method returns). */
  create(spec: NewTask): TaskRecord {
    this.nextKey += 1;
    const task: TaskRecord = {
      type: 'Task',
      moref: `task-${this.nextKey}`,
      name: spec.name,
      descriptionId: spec.descriptionId,
      entity: spec.entity,
      entityName: spec.entityName,
      userName: spec.userName,
      cancelable: spec.cancelable ?? false,
      eventChainId: this.nextChain++,
      queueTime: new Date(),
      state: 'queued',
      cancelled: false,
    };
    this.tasks.set(task.moref, task);
    this.work.set(task.moref, spec.work);
    this.activeByName.set(task.name, this.active(task.name) + 1);
    this.schedule(0, () => this.start(task, spec.durationMs));
    return task;
  }

  get(moref: string): TaskRecord | undefined {
    return this.tasks.get(moref);
  }

  /** Number of tasks of this method currently queued or running. */
  active(name: string): number {
    return this.activeByName.get(name) ?? 0;
  }

  /**
   * CancelTask: a cancelable task still queued or running ends in error RequestCanceled with `cancelled=true`.
   * @throws VimFault InvalidState when the task already finished or is not cancelable.
   */
  cancel(task: TaskRecord): void {
    if (!task.cancelable || task.state === 'success' || task.state === 'error') throw faults.invalidState();
    task.cancelled = true;
    this.finish(task, faults.requestCanceled());
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private start(task: TaskRecord, durationMs: number): void {
    if (task.state !== 'queued') return;
    task.state = 'running';
    task.startTime = new Date();
    task.progress = 0;
    try {
      this.work.get(task.moref)?.start?.();
    } catch (err) {
      this.finish(task, err);
      return;
    }
    this.notify();
    if (durationMs >= 20) {
      this.schedule(durationMs / 2, () => {
        if (task.state !== 'running') return;
        task.progress = 50;
        this.notify();
      });
    }
    this.schedule(durationMs, () => this.complete(task));
  }

  private complete(task: TaskRecord): void {
    if (task.state !== 'running') return;
    try {
      const result = this.work.get(task.moref)?.complete();
      task.result = result;
      task.state = 'success';
      task.progress = 100;
      task.completeTime = new Date();
      this.work.delete(task.moref);
      this.activeByName.set(task.name, this.active(task.name) - 1);
      this.notify();
    } catch (err) {
      this.finish(task, err);
    }
  }

  private finish(task: TaskRecord, err: unknown): void {
    task.error = err instanceof VimFault ? err : faults.systemError(err instanceof Error ? err.message : String(err));
    task.state = 'error';
    task.completeTime = new Date();
    this.work.get(task.moref)?.abandon?.();
    this.work.delete(task.moref);
    this.activeByName.set(task.name, this.active(task.name) - 1);
    this.notify();
  }

  private schedule(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}
