/**
 * Waits for tasks. News of a task comes two ways:
 * - WaitForUpdatesEx on the client's {@link TaskCollector}, for a task this client started on a source VM whose
 *   filter it had: one loop for all waiters, dispatching by task moref (a clone costs no round trip beyond
 *   InstantClone_Task and the two answers: the task appears, the task ends);
 * - direct reads of `info`, one RetrievePropertiesEx for every task due. A task nobody reports (started elsewhere,
 *   on another VM, or waited for again after a redelivery) is read at once and then polled on a doubling gap. A
 *   reported task is read when a WaitForUpdatesEx began after it and came back without it, when it leaves
 *   `recentTask` unfinished, {@link SAFETY_READ_MS} after its wait began without an end and then on a doubling gap
 *   (so an end goes unseen for at most about its own duration again), and before its wait gives up at the deadline.
 * So no outcome depends on a new filter's initial state or on an update reaching this client's wait.
 */
import { VimFaultError, VimTransportError } from './errors.js';
import type { Session } from './session.js';
import { type Node, returnval } from './soap/parse.js';
import { mo, taskInfoSpec } from './soap/serialize.js';
import { TaskCollector } from './task-collector.js';
import { applyTaskChanges, initialTaskInfo, isTaskDone, readTaskInfos, readTaskUpdates } from './task-info.js';
import type { CallOptions, MoRef, TaskInfo, WaitOptions } from './types.js';

const MAX_WAIT_SECONDS = 60;
const REMEMBERED = 512;
/** A reported task still running this long after its wait began is read directly, then on a doubling gap. */
export const SAFETY_READ_MS = 3_000;
/** First gap of the poll of an unreported task (read at once, then after this, doubling). */
const POLL_MS = 100;
const MAX_GAP_MS = 30_000;

interface Waiter {
  /** The deadline passed: settle with what the next read shows. */
  final: boolean;
  settle(outcome: { info: TaskInfo } | { error: unknown }): void;
}

interface Watch {
  task: MoRef<'Task'>;
  waiters: Set<Waiter>;
  /** A source filter reports it, so WaitForUpdatesEx brings its news. */
  reported: boolean;
  /** An update about it arrived. */
  heard: boolean;
  /** WaitForUpdatesEx calls begun before the watch; a later one that comes back without it missed it. */
  sinceCall: number;
  readAt: number;
  gapMs: number;
}

const aborted = () => new VimTransportError('aborted', 'wait aborted by the caller', { retryable: true });

export class TaskWaiter {
  private readonly collector: TaskCollector;
  private readonly infos = new Map<string, TaskInfo>();
  private readonly watches = new Map<string, Watch>();
  /** Tasks this client started, by the VM they run on, until their first wait. */
  private readonly startedOn = new Map<string, MoRef>();
  private calls = 0;
  private loop: Promise<void> | undefined;
  private loopAbort: AbortController | undefined;
  private reading = false;
  private readTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: Session,
    private readonly now: () => number,
    private readonly requestTimeoutMs: number,
  ) {
    this.collector = new TaskCollector(session);
  }

  /** Makes sure tasks on `vm` are reported by a source filter (best effort, never rejects). */
  watchSource(vm: MoRef, options: CallOptions): Promise<void> {
    return this.collector.watchSource(vm, options);
  }

  /** Records that this client just started `task` on `vm`: its first wait trusts the source filter, if any. */
  started(task: MoRef, vm: MoRef): void {
    this.startedOn.set(task.value, vm);
    if (this.startedOn.size > REMEMBERED) this.startedOn.delete(this.startedOn.keys().next().value ?? '');
  }

  /** See {@link VimClient.waitForTask}. Rejects only for faults, transport errors and aborts. */
  wait(task: MoRef<'Task'>, options: WaitOptions): Promise<TaskInfo> {
    if (options.signal?.aborted) return Promise.reject(aborted());
    const known = this.infos.get(task.value);
    if (isTaskDone(known)) return Promise.resolve({ ...known });
    const watch = this.watchOf(task);
    return new Promise<TaskInfo>((resolve, reject) => {
      const giveUp = () => {
        waiter.final = true;
        watch.readAt = this.now();
        this.schedule();
      };
      const onAbort = () => waiter.settle({ error: aborted() });
      const timer = setTimeout(giveUp, Math.max(0, Math.min(options.deadline - this.now(), 2 ** 31 - 1)));
      const waiter: Waiter = {
        final: false,
        settle: (outcome) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          watch.waiters.delete(waiter);
          if (watch.waiters.size === 0 && this.watches.get(task.value) === watch) this.watches.delete(task.value);
          if (!this.anyReported()) this.loopAbort?.abort();
          if ('info' in outcome) resolve(outcome.info);
          else reject(outcome.error);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      watch.waiters.add(waiter);
      this.kick();
      this.schedule();
    });
  }

  /** Forgets session-scoped state (after logout the server has destroyed the collector); waits reject aborted. */
  reset(): void {
    this.loopAbort?.abort();
    clearTimeout(this.readTimer);
    for (const watch of [...this.watches.values()]) {
      for (const waiter of [...watch.waiters]) waiter.settle({ error: aborted() });
    }
    this.collector.drop();
    this.startedOn.clear();
  }

  private watchOf(task: MoRef<'Task'>): Watch {
    const existing = this.watches.get(task.value);
    if (existing) return existing;
    const vm = this.startedOn.get(task.value);
    this.startedOn.delete(task.value);
    const reported = vm !== undefined && this.collector.reports(vm);
    const gapMs = reported ? SAFETY_READ_MS : POLL_MS;
    const watch: Watch = {
      task,
      waiters: new Set(),
      reported,
      heard: this.infos.has(task.value),
      sinceCall: this.calls,
      readAt: this.now() + (reported ? gapMs : 0),
      gapMs,
    };
    this.watches.set(task.value, watch);
    return watch;
  }

  private anyReported(): boolean {
    for (const watch of this.watches.values()) if (watch.reported && watch.waiters.size > 0) return true;
    return false;
  }

  /** Starts the WaitForUpdatesEx loop while some waited-for task is reported by a source filter. */
  private kick(): void {
    if (this.loop || !this.anyReported()) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.anyReported()) {
      const controller = new AbortController();
      this.loopAbort = controller;
      const call = ++this.calls;
      // No need to end before any deadline: waits settle on their own, and the last one leaving hangs up.
      const maxWaitSeconds = MAX_WAIT_SECONDS;
      const timeoutMs = maxWaitSeconds * 1000 + this.requestTimeoutMs;
      try {
        this.apply(await this.collector.waitForUpdates(maxWaitSeconds, { signal: controller.signal, timeoutMs }), call);
      } catch {
        if (controller.signal.aborted) return; // we hung up ourselves: nobody waits for a reported task
        // A lost session or collector, or a server that cannot wait: forget the filters and read the tasks instead.
        this.collector.drop();
        for (const watch of this.watches.values()) this.unreport(watch);
        this.schedule();
        return;
      }
    }
  }

  private apply(updateSet: Node, call: number): void {
    for (const { task, kind, changes } of readTaskUpdates(updateSet)) {
      const watch = this.watches.get(task.value);
      const info = this.infos.get(task.value) ?? initialTaskInfo(task);
      if (kind === 'leave') {
        // Gone from recentTask: an unfinished task is no longer reported there.
        if (watch && !isTaskDone(info)) this.unreport(watch);
        continue;
      }
      applyTaskChanges(info, changes);
      this.remember(task.value, info);
      if (watch) {
        watch.heard = true;
        if (isTaskDone(info)) this.settleAll(watch, { info });
      }
    }
    for (const watch of this.watches.values()) {
      if (watch.reported && !watch.heard && watch.sinceCall < call) watch.readAt = this.now();
    }
    this.schedule();
  }

  private unreport(watch: Watch): void {
    if (!watch.reported) return;
    watch.reported = false;
    watch.readAt = this.now();
    watch.gapMs = POLL_MS;
  }

  /** Arms the timer for the earliest due read; one read is in flight at a time. */
  private schedule(): void {
    clearTimeout(this.readTimer);
    if (this.reading) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const watch of this.watches.values()) if (watch.waiters.size > 0) earliest = Math.min(earliest, watch.readAt);
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.readTimer = setTimeout(
      () => {
        this.reading = true;
        this.readDue().finally(() => {
          this.reading = false;
          this.schedule();
        });
      },
      Math.max(0, earliest - this.now()),
    );
  }

  /** One RetrievePropertiesEx of `info` for every task due. */
  private async readDue(): Promise<void> {
    const now = this.now();
    const due = [...this.watches.values()].filter((w) => w.waiters.size > 0 && w.readAt <= now + 10);
    if (due.length === 0) return;
    for (const watch of due) {
      watch.readAt = now + watch.gapMs;
      watch.gapMs = Math.min(MAX_GAP_MS, watch.gapMs * 2);
    }
    try {
      const sc = await this.session.serviceContent();
      const specSet = [taskInfoSpec(due.map((w) => w.task))];
      const answer = await this.session.call('RetrievePropertiesEx', {
        _this: mo(sc.propertyCollector),
        specSet,
        options: {},
      });
      for (const [key, info] of readTaskInfos(returnval(answer))) {
        const watch = this.watches.get(key);
        if (info === 'gone') {
          if (watch)
            this.settleAll(watch, {
              error: new VimFaultError('ManagedObjectNotFound', `task ${key} no longer exists`, {}),
            });
          continue;
        }
        this.remember(key, info);
        if (watch && isTaskDone(info)) this.settleAll(watch, { info });
      }
    } catch (error) {
      for (const watch of due) if (!watch.reported) this.settleAll(watch, { error }, (w) => !w.final);
    }
    for (const watch of due) {
      const info = { ...(this.infos.get(watch.task.value) ?? initialTaskInfo(watch.task)) };
      this.settleAll(watch, { info }, (waiter) => waiter.final);
    }
  }

  private remember(key: string, info: TaskInfo): void {
    this.infos.delete(key);
    this.infos.set(key, info);
    if (this.infos.size > REMEMBERED) this.infos.delete(this.infos.keys().next().value ?? '');
  }

  private settleAll(
    watch: Watch,
    outcome: { info: TaskInfo } | { error: unknown },
    which: (waiter: Waiter) => boolean = () => true,
  ): void {
    for (const waiter of [...watch.waiters]) {
      if (!which(waiter)) continue;
      waiter.settle('info' in outcome ? { info: { ...outcome.info } } : outcome);
    }
  }
}
