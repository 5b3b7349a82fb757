import { randomUUID } from 'node:crypto';
import { FaultInjector } from './fault-injection.js';
import type { Inventory } from './inventory.js';
import { SINGLETON_TYPES } from './service-content.js';
import { type Session, SessionStore } from './sessions.js';
import type { VimObject } from './soap/vim-value.js';
import { TaskManager } from './tasks.js';

/** A parsed `SelectionSpec`/`TraversalSpec` (reference §2.5): traversal specs follow `path` from objects of `type`. */
export type SelectionSpec =
  | { kind: 'selection'; name: string }
  | { kind: 'traversal'; name?: string; type: string; path: string; skip: boolean; selectSet: SelectionSpec[] };

/** A parsed `PropertySpec`: type, `all`, pathSet. */
export interface PropertySpec {
  type: string;
  all: boolean;
  pathSet: string[];
}

/** A parsed `ObjectSpec`: start object, skip, selectSet. */
export interface ObjectSpec {
  obj: { type: string; value: string };
  skip: boolean;
  selectSet: SelectionSpec[];
}

/** A parsed `PropertyFilterSpec`. */
export interface PropertyFilterSpec {
  propSet: PropertySpec[];
  objectSet: ObjectSpec[];
  reportMissingObjectsInResults: boolean;
}

/** A session-scoped ContainerView. */
export interface ContainerViewRecord {
  readonly type: 'ContainerView';
  readonly moref: string;
  readonly container: string;
  readonly types: string[];
  readonly recursive: boolean;
}

/** A PropertyFilter created by CreateFilter on `collector`. */
export interface FilterRecord {
  readonly type: 'PropertyFilter';
  readonly moref: string;
  readonly collector: string;
  readonly spec: PropertyFilterSpec;
  readonly partialUpdates: boolean;
}

/** What a collector last reported per filter: object key → path → serialised value. */
export type Baseline = Map<string, Map<string, Map<string, string>>>;

/** A PropertyCollector (the default one or a session-scoped one) and its WaitForUpdates state. */
export interface CollectorRecord {
  readonly type: 'PropertyCollector';
  readonly moref: string;
  readonly filters: Set<string>;
  /** Last version handed out by WaitForUpdates(Ex); 0 = never. */
  version: number;
  baseline: Baseline;
  /** Cancels the pending WaitForUpdates(Ex), if one is blocked (CancelWaitForUpdates). */
  cancelWait?: () => void;
}

/** VcSimOptions with defaults applied. */
export interface ResolvedOptions {
  apiVersion: string;
  taskDurationMs: number;
  guestIpDelayMs: number;
  username?: string;
  password?: string;
  sessionIdleTimeoutMs: number;
  instanceUuid: string;
  /** How RetrieveProperties(Ex) answers without a session: vCenter's missingSet form, or a NotAuthenticated fault. */
  unauthenticatedRetrieve: 'missingSet' | 'fault';
  /** Property-collector misbehaviour for client robustness tests; all off by default (see CollectorQuirks). */
  collectorQuirks: Required<CollectorQuirks>;
}

/**
 * Ways a vim25 server's property collector may misbehave (not vCenter's behaviour), for robustness tests of clients.
 */
export interface CollectorQuirks {
  /**
   * A filter created on a collector that already handed out a version gets no initial state: WaitForUpdatesEx
   * reports only changes after its creation (a task that finished before never shows up).
   */
  lateFiltersWithoutInitialState?: boolean;
  /**
   * A Task's update goes to whichever WaitForUpdatesEx call computes it first (the longest-waiting call on any
   * collector of any session, or the next call to arrive), inside a PropertyFilterUpdate naming the owner's filter,
   * and is reported to nobody else: the collector that owns the filter may never hear of it.
   */
  taskUpdatesToFirstWaiter?: boolean;
}

/** Counters for tests and benchmarks: requests, calls per method, peak concurrent InstantClone tasks. */
export interface SimStats {
  requests: number;
  byMethod: Record<string, number>;
  maxConcurrentCloneTasks: number;
}

/**
 * Everything the simulated vCenter knows: inventory, tasks, sessions, session-scoped views/collectors/filters,
 * name reservations of clones in flight, fault rules and counters. Methods receive it through their context.
 */
export class SimState {
  readonly inventory: Inventory;
  readonly tasks: TaskManager;
  readonly sessions: SessionStore;
  readonly views = new Map<string, ContainerViewRecord>();
  readonly collectors = new Map<string, CollectorRecord>();
  readonly filters = new Map<string, FilterRecord>();
  /** With the `taskUpdatesToFirstWaiter` quirk: what of each filter's Task objects was handed out, to anyone. */
  readonly handedOutTasks: Baseline = new Map();
  /** folder moref → names reserved by InstantClone tasks still in flight (DuplicateName between concurrent clones). */
  readonly reservedNames = new Map<string, Set<string>>();
  readonly faults = new FaultInjector();
  /** Remaining pages of RetrievePropertiesEx results by token (ContinueRetrievePropertiesEx). */
  readonly pages = new Map<string, { rest: VimObject[]; size: number }>();
  readonly stats: SimStats = { requests: 0, byMethod: {}, maxConcurrentCloneTasks: 0 };
  readonly timers = new Set<NodeJS.Timeout>();

  /** `taskCounter`: the last `task-N` number a previous run of this world handed out (0 for a new world). */
  constructor(
    readonly options: ResolvedOptions,
    inventory: Inventory,
    taskCounter = 0,
  ) {
    this.inventory = inventory;
    this.tasks = new TaskManager(() => this.inventory.changed(), taskCounter);
    this.sessions = new SessionStore(options.sessionIdleTimeoutMs, (session) => this.endSession(session));
    this.collectors.set('propertyCollector', newCollector('propertyCollector'));
  }

  /** The managed object type of a moref value, across inventory, tasks, singletons and session objects. */
  typeOf(moref: string): string | undefined {
    return (
      this.inventory.get(moref)?.type ??
      SINGLETON_TYPES.get(moref) ??
      this.tasks.get(moref)?.type ??
      this.views.get(moref)?.type ??
      this.collectors.get(moref)?.type ??
      this.filters.get(moref)?.type
    );
  }

  /**
   * The collector a call on `moref` means. The default `propertyCollector` is one object per session on vCenter
   * (pyVmomi's WaitForTask puts its filters there), so each session gets its own instance: filters, versions and
   * pending waits of one session never touch another's.
   */
  collectorFor(moref: string, session: Session | undefined): CollectorRecord | undefined {
    if (moref !== 'propertyCollector' || !session) return this.collectors.get(moref);
    const key = `propertyCollector@${session.key}`;
    let collector = this.collectors.get(key);
    if (!collector) {
      collector = newCollector(key);
      this.collectors.set(key, collector);
      session.objects.add(key);
    }
    return collector;
  }

  /** Runs `fn` after `ms` unless the simulator closes first. */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  close(): void {
    this.tasks.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const collector of this.collectors.values()) collector.cancelWait?.();
  }

  /** Destroys a collector and its filters, failing a pending wait. */
  destroyCollector(moref: string): void {
    const collector = this.collectors.get(moref);
    if (!collector) return;
    collector.cancelWait?.();
    for (const filter of collector.filters) this.destroyFilter(filter);
    this.collectors.delete(moref);
  }

  /** DestroyPropertyFilter: the filter leaves its collector and every record of what it reported. */
  destroyFilter(id: string): void {
    const filter = this.filters.get(id);
    if (filter) this.collectors.get(filter.collector)?.filters.delete(id);
    this.filters.delete(id);
    this.handedOutTasks.delete(id);
  }

  private endSession(session: Session): void {
    for (const id of session.objects) {
      this.views.delete(id);
      this.destroyFilter(id);
      this.destroyCollector(id);
    }
  }
}

/** A fresh collector with no filters and version 0. */
export function newCollector(moref: string): CollectorRecord {
  return { type: 'PropertyCollector', moref, filters: new Set(), version: 0, baseline: new Map() };
}

/** A random `about.instanceUuid` for this simulator instance. */
export function defaultInstanceUuid(): string {
  return randomUUID();
}
