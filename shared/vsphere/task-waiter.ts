/**
 * Waits for tasks on the client's {@link SharedCollector} with one WaitForUpdatesEx loop for all waiters, which
 * dispatches updates by task moref. A task is watched one of two ways:
 * - through a *source filter* ({@link SourceFilters}): a filter on a VM that follows its `recentTask` and reports
 *   the task paths of every task on it. The client sets one up per source VM before the first InstantClone_Task,
 *   so later clones of that VM need no CreateFilter at all;
 * - through a *task filter* (CreateFilter on the task itself), for any other task, e.g. one resumed from an earlier
 *   process, and as the fallback when a task never shows up in (or leaves) its source's `recentTask`.
 */
import { isFault, VimFaultError, VimTransportError } from './errors.js';
import type { Session } from './session.js';
import { SharedCollector } from './shared-collector.js';
import type { Node } from './soap/parse.js';
import { propertyFilterSpec } from './soap/serialize.js';
import { SourceFilters } from './source-filters.js';
import { applyTaskChanges, initialTaskInfo, isTaskDone, readTaskUpdates, TASK_INFO_PATHS } from './task-info.js';
import type { CallOptions, MoRef, TaskInfo, WaitOptions } from './types.js';

const MAX_WAIT_SECONDS = 60;
const INFO_CACHE = 512;
const MAX_RECOVERIES = 2;

interface Waiter {
  deadline: number;
  settle(outcome: { info: TaskInfo } | { error: unknown }): void;
}

interface Watched {
  waiters: Set<Waiter>;
  via: 'source' | 'task';
  /** Collector generation the filter lives in; -1 = no live filter. */
  generation: number;
  /** WaitForUpdatesEx calls started when the watch began (a source-filtered task must appear after that). */
  sinceCall: number;
  /** The task left its source's `recentTask` before it finished. */
  left?: boolean;
}

const aborted = () => new VimTransportError('aborted', 'wait aborted by the caller', { retryable: true });

export class TaskWaiter {
  private readonly collector: SharedCollector;
  private readonly infos = new Map<string, TaskInfo>();
  private readonly watched = new Map<string, Watched>();
  private readonly sources: SourceFilters;
  private calls = 0;
  private loop: Promise<void> | undefined;
  private loopAbort: AbortController | undefined;

  constructor(
    session: Session,
    private readonly now: () => number,
    private readonly requestTimeoutMs: number,
  ) {
    this.collector = new SharedCollector(session);
    this.sources = new SourceFilters(this.collector);
  }

  /** Makes sure tasks on `vm` are reported by a source filter. Best effort: on failure, tasks get task filters. */
  watchSource(vm: MoRef, options: CallOptions): Promise<void> {
    return this.sources.watch(vm, options, this.idle());
  }

  /** Records that `task` runs on `vm` (so a source filter, if any, reports it). */
  coverTask(task: MoRef, vm: MoRef): void {
    this.sources.cover(task, vm);
  }

  /** See {@link VimClient.waitForTask}. Rejects only for faults, transport errors and aborts. */
  async wait(task: MoRef<'Task'>, options: WaitOptions): Promise<TaskInfo> {
    if (options.signal?.aborted) throw aborted();
    const known = this.infos.get(task.value);
    if (isTaskDone(known)) return { ...known };
    const watched = await this.track(task, options);
    if (options.signal?.aborted) throw aborted();
    const info = () => ({ ...(this.infos.get(task.value) ?? initialTaskInfo(task)) });
    if (isTaskDone(this.infos.get(task.value)) || this.now() >= options.deadline) return info();
    return new Promise<TaskInfo>((resolve, reject) => {
      const onAbort = () => waiter.settle({ error: aborted() });
      const timer = setTimeout(
        () => waiter.settle({ info: info() }),
        Math.min(options.deadline - this.now(), 2 ** 31 - 1),
      );
      const waiter: Waiter = {
        deadline: options.deadline,
        settle: (outcome) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          watched.waiters.delete(waiter);
          if (this.idle()) this.loopAbort?.abort();
          if ('info' in outcome) resolve(outcome.info);
          else reject(outcome.error);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      watched.waiters.add(waiter);
      this.watched.set(task.value, watched);
      this.kick();
    });
  }

  /** Forgets session-scoped state (after logout the server has destroyed the collector). */
  reset(): void {
    this.loopAbort?.abort();
    for (const w of this.watched.values()) for (const waiter of [...w.waiters]) waiter.settle({ error: aborted() });
    this.dropCollector();
    this.watched.clear();
  }

  private idle(): boolean {
    for (const w of this.watched.values()) if (w.waiters.size > 0) return false;
    return true;
  }

  /** Ensures a live filter reports `task`: its source filter when it has one, else a task filter. */
  private async track(task: MoRef<'Task'>, options: CallOptions, attempt = 0): Promise<Watched> {
    const generation = this.collector.generation;
    let watched = this.watched.get(task.value);
    if (watched && watched.generation === generation && generation !== -1) return watched;
    watched ??= { waiters: new Set(), via: 'task', generation: -1, sinceCall: this.calls };
    this.watched.set(task.value, watched);
    if (this.sources.liveFilterOf(task.value)) {
      Object.assign(watched, { via: 'source', generation, sinceCall: this.calls });
      return watched;
    }
    try {
      const created = await this.collector.createFilter(
        propertyFilterSpec(task, TASK_INFO_PATHS),
        options,
        this.idle(),
      );
      Object.assign(watched, { via: 'task', generation: created.generation });
      this.watched.set(task.value, watched); // a collector recycle meanwhile may have dropped the entry
      return watched;
    } catch (err) {
      if (attempt < MAX_RECOVERIES && (!this.collector.usable() || this.collector.isGone(err))) {
        this.dropCollector();
        return this.track(task, options, attempt + 1);
      }
      if (watched.waiters.size === 0) this.watched.delete(task.value);
      throw err;
    }
  }

  private dropCollector(): void {
    this.collector.drop();
    this.sources.clear();
    for (const [key, w] of this.watched) {
      if (w.waiters.size === 0) this.watched.delete(key);
      else w.generation = -1;
    }
  }

  private kick(): void {
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      if (!this.idle()) this.kick();
    });
  }

  private async run(): Promise<void> {
    let recoveries = 0;
    while (!this.idle()) {
      try {
        await this.waitOnce();
        recoveries = 0;
      } catch (err) {
        if (this.idle()) return;
        const recovered = recoveries++ < MAX_RECOVERIES && (await this.recover(err).catch(() => false));
        if (recovered) continue;
        for (const w of this.watched.values()) for (const waiter of [...w.waiters]) waiter.settle({ error: err });
      }
    }
  }

  private async waitOnce(): Promise<void> {
    let earliest = Number.POSITIVE_INFINITY;
    for (const w of this.watched.values())
      for (const waiter of w.waiters) earliest = Math.min(earliest, waiter.deadline);
    const maxWaitSeconds = Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((earliest - this.now()) / 1000)));
    const controller = new AbortController();
    this.loopAbort = controller;
    const call = ++this.calls;
    try {
      const timeoutMs = maxWaitSeconds * 1000 + this.requestTimeoutMs;
      this.apply(await this.collector.waitForUpdates(maxWaitSeconds, { signal: controller.signal, timeoutMs }));
    } catch (err) {
      // We aborted the call ourselves because the last waiter left; anyone who joined since gets a fresh call.
      if (controller.signal.aborted) return;
      throw err;
    }
    await this.fallBackToTaskFilters(call);
  }

  /** Tasks their source filter should have reported by now but did not (gone from `recentTask`, or never in it). */
  private async fallBackToTaskFilters(call: number): Promise<void> {
    for (const [key, w] of this.watched) {
      const unseen = w.sinceCall < call && !this.infos.has(key);
      if (w.via !== 'source' || !(unseen || w.left) || w.waiters.size === 0) continue;
      w.left = false;
      this.sources.uncover(key);
      w.generation = -1;
      try {
        await this.track({ type: 'Task', value: key }, {});
      } catch (err) {
        this.watched.delete(key);
        for (const waiter of [...w.waiters]) waiter.settle({ error: err });
      }
    }
  }

  /** Rebuilds collector and filters after a re-login or a lost collector. */
  private async recover(err: unknown): Promise<boolean> {
    // The server cancels a pending wait when the session ends; a rejected version was reset by the collector.
    if (isFault(err, 'RequestCanceled') || isFault(err, 'InvalidCollectorVersion')) return true;
    const lost = !this.collector.usable() || isFault(err, 'ManagedObjectNotFound') || isFault(err, 'NotAuthenticated');
    if (!lost) return false;
    this.dropCollector();
    for (const [key, w] of this.watched) if (w.waiters.size > 0) await this.track({ type: 'Task', value: key }, {});
    return true;
  }

  private apply(updateSet: Node): void {
    for (const { filter, task, kind, changes } of readTaskUpdates(updateSet)) {
      const watched = this.watched.get(task.value);
      if (kind === 'leave') {
        if (!this.sources.isSourceFilter(filter) && watched) this.fail(task.value, watched);
        else if (watched) watched.left = true; // still unfinished: fallBackToTaskFilters gives it a task filter
        continue;
      }
      const info = this.infos.get(task.value) ?? initialTaskInfo(task);
      applyTaskChanges(info, changes);
      this.remember(task.value, info);
      if (watched) this.dispatch(task.value, watched, info);
    }
  }

  private remember(key: string, info: TaskInfo): void {
    this.infos.delete(key);
    this.infos.set(key, info);
    if (this.infos.size > INFO_CACHE) this.infos.delete(this.infos.keys().next().value ?? '');
  }

  private dispatch(key: string, watched: Watched, info: TaskInfo): void {
    if (!isTaskDone(info)) return;
    if (watched.via === 'task') this.collector.retireFilter();
    this.watched.delete(key);
    this.sources.uncover(key);
    for (const waiter of [...watched.waiters]) waiter.settle({ info: { ...info } });
  }

  private fail(key: string, watched: Watched): void {
    this.watched.delete(key);
    const error = new VimFaultError('ManagedObjectNotFound', `task ${key} no longer exists`, {});
    for (const waiter of [...watched.waiters]) waiter.settle({ error });
  }
}
