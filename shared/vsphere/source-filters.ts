/**
 * The *source filters* of the task waiter: one filter per source VM that follows its `recentTask` and reports the
 * task paths of every task on it, so a clone of a VM already watched needs no CreateFilter at all. Also remembers
 * which task runs on which source (`cover`), so the waiter knows a task is reported without a filter of its own.
 */
import type { SharedCollector } from './shared-collector.js';
import { recentTaskFilterSpec } from './soap/serialize.js';
import type { CallOptions, MoRef } from './types.js';

type SourceFilter = { filter: string; generation: number };

export class SourceFilters {
  private readonly byVm = new Map<string, SourceFilter>();
  private readonly taskVm = new Map<string, string>();
  private readonly creating = new Map<string, Promise<void>>();

  constructor(private readonly collector: SharedCollector) {}

  /**
   * Makes sure tasks on `vm` are reported by a live source filter; concurrent calls for one VM share one
   * CreateFilter. Best effort: when it fails, the VM has no source filter and its tasks get task filters.
   */
  async watch(vm: MoRef, options: CallOptions, idle: boolean): Promise<void> {
    const known = this.byVm.get(vm.value);
    if (known && known.generation === this.collector.generation && known.generation !== -1) return;
    let pending = this.creating.get(vm.value);
    if (!pending) {
      pending = this.collector
        .createFilter(recentTaskFilterSpec(vm), options, idle)
        .then(({ filter, generation }) => {
          this.byVm.set(vm.value, { filter: filter.value, generation });
        })
        .catch(() => {
          this.byVm.delete(vm.value);
        })
        .finally(() => this.creating.delete(vm.value));
      this.creating.set(vm.value, pending);
    }
    await pending;
  }

  /** Records that `task` runs on `vm`, when that VM has a source filter. */
  cover(task: MoRef, vm: MoRef): void {
    if (this.byVm.has(vm.value)) this.taskVm.set(task.value, vm.value);
  }

  /** Forgets where `task` runs (it finished, or it now has a task filter). */
  uncover(task: string): void {
    this.taskVm.delete(task);
  }

  /** The source filter reporting `task`, if it is live in the collector's current generation. */
  liveFilterOf(task: string): SourceFilter | undefined {
    const source = this.byVm.get(this.taskVm.get(task) ?? '');
    const generation = this.collector.generation;
    return source && source.generation === generation && generation !== -1 ? source : undefined;
  }

  /** Whether `filter` is one of the source filters (a task leaving it may only have left `recentTask`). */
  isSourceFilter(filter: string | undefined): boolean {
    for (const source of this.byVm.values()) if (source.filter === filter) return true;
    return false;
  }

  /** Forgets every filter (the collector was dropped with them). */
  clear(): void {
    this.byVm.clear();
  }
}
