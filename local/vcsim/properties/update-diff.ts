import { arr, bool, enumValue, moref, obj, str, type VimObject, type VimValue } from '../soap/vim-value.js';
import { writeElement } from '../soap/xml-writer.js';
import type { Baseline, CollectorRecord, FilterRecord } from '../state.js';
import { collect, type ObjectContent } from './collect.js';
import type { PropertyContext } from './object-properties.js';

type ObjectSnapshot = Map<string, Map<string, string>>;
interface ObjectUpdate {
  kind: 'enter' | 'modify' | 'leave';
  obj: { type: string; value: string };
  changes: Array<readonly [string, VimValue | undefined]>;
}

/** What one filter contributes to a collector's answer, and against which record of what was reported. */
interface Source {
  filter: FilterRecord;
  baseline: Baseline;
  keep: (type: string) => boolean;
}

const all = (): boolean => true;
const tasks = (type: string): boolean => type === 'Task';
const notTasks = (type: string): boolean => type !== 'Task';

/**
 * The filters a wait on `collector` reports, each against its baseline. Normally: the collector's own filters against
 * its own baseline. With the `taskUpdatesToFirstWaiter` quirk, Task objects of every filter of every collector are
 * compared against one shared baseline instead, so a task's change goes to whichever wait computes it first.
 */
function sources(ctx: PropertyContext, collector: CollectorRecord): Source[] {
  const { state } = ctx;
  const own = [...collector.filters].flatMap((id) => state.filters.get(id) ?? []);
  if (!state.options.collectorQuirks.taskUpdatesToFirstWaiter) {
    return own.map((filter) => ({ filter, baseline: collector.baseline, keep: all }));
  }
  return [
    ...own.map((filter) => ({ filter, baseline: collector.baseline, keep: notTasks })),
    ...[...state.filters.values()].map((filter) => ({ filter, baseline: state.handedOutTasks, keep: tasks })),
  ];
}

/**
 * What changed for the filters a wait on `collector` covers since their baseline, as an `UpdateSet` with the next
 * version, or `undefined` when nothing did. Only what is reported becomes the new baseline: with
 * `maxObjectUpdates`, at most that many ObjectUpdates are reported (`truncated`) and the rest stays pending.
 */
export function diff(
  ctx: PropertyContext,
  collector: CollectorRecord,
  maxObjectUpdates?: number,
): VimObject | undefined {
  const byFilter = new Map<string, ObjectUpdate[]>();
  const writes: Array<() => void> = [];
  let budget = maxObjectUpdates ?? Number.POSITIVE_INFINITY;
  let truncated = false;
  for (const { filter, baseline, keep } of sources(ctx, collector)) {
    const contents = safeCollect(ctx, filter).filter((c) => keep(c.obj.type));
    const current = snapshot(contents);
    const before = baseline.get(filter.moref);
    const updates = compare(contents, current, before);
    const reported = updates.slice(0, Math.max(0, budget));
    budget -= reported.length;
    if (reported.length < updates.length) truncated = true;
    const after = reported.length < updates.length ? seen(before, current, reported) : current;
    writes.push(() => baseline.set(filter.moref, after));
    if (reported.length > 0) byFilter.set(filter.moref, [...(byFilter.get(filter.moref) ?? []), ...reported]);
  }
  if (byFilter.size === 0) return undefined;
  for (const write of writes) write();
  collector.version += 1;
  return obj('UpdateSet', [
    ['version', str(String(collector.version))],
    [
      'filterSet',
      arr(
        'PropertyFilterUpdate',
        [...byFilter].map(([id, updates]) => filterUpdate(id, updates)),
      ),
    ],
    ['truncated', truncated ? bool(true) : undefined],
  ]);
}

/**
 * The `lateFiltersWithoutInitialState` quirk: a filter created on a collector that already handed out a version
 * starts from what is true now, so its objects' current state is never reported, only later changes.
 */
export function seedLateFilter(ctx: PropertyContext, collector: CollectorRecord, filter: FilterRecord): void {
  if (!ctx.state.options.collectorQuirks.lateFiltersWithoutInitialState || collector.version === 0) return;
  const contents = safeCollect(ctx, filter);
  if (!ctx.state.options.collectorQuirks.taskUpdatesToFirstWaiter) {
    collector.baseline.set(filter.moref, snapshot(contents));
    return;
  }
  collector.baseline.set(filter.moref, snapshot(contents.filter((c) => notTasks(c.obj.type))));
  ctx.state.handedOutTasks.set(filter.moref, snapshot(contents.filter((c) => tasks(c.obj.type))));
}

/** The baseline after a truncated answer: the old one, with only the reported objects brought up to date. */
function seen(before: ObjectSnapshot | undefined, current: ObjectSnapshot, reported: ObjectUpdate[]): ObjectSnapshot {
  const out = new Map(before ?? []);
  for (const update of reported) {
    const key = `${update.obj.type}:${update.obj.value}`;
    const now = current.get(key);
    if (update.kind === 'leave' || !now) out.delete(key);
    else out.set(key, now);
  }
  return out;
}

// A filter whose object was destroyed must report `leave`, not fail the whole wait.
function safeCollect(ctx: PropertyContext, filter: FilterRecord): ObjectContent[] {
  try {
    return collect(ctx, { ...filter.spec, reportMissingObjectsInResults: true }).filter((c) =>
      ctx.state.typeOf(c.obj.value),
    );
  } catch {
    return [];
  }
}

function snapshot(contents: ObjectContent[]): ObjectSnapshot {
  const out: ObjectSnapshot = new Map();
  for (const content of contents) {
    const props = new Map<string, string>();
    for (const [path, value] of content.props) props.set(path, writeElement('v', value, true));
    out.set(`${content.obj.type}:${content.obj.value}`, props);
  }
  return out;
}

function compare(
  contents: ObjectContent[],
  current: ObjectSnapshot,
  before: ObjectSnapshot | undefined,
): ObjectUpdate[] {
  const updates: ObjectUpdate[] = [];
  for (const content of contents) {
    const key = `${content.obj.type}:${content.obj.value}`;
    const old = before?.get(key);
    const now = current.get(key) ?? new Map<string, string>();
    if (!old) {
      updates.push({ kind: 'enter', obj: content.obj, changes: content.props });
      continue;
    }
    const changes: Array<readonly [string, VimValue | undefined]> = content.props.filter(
      ([path]) => old.get(path) !== now.get(path),
    );
    for (const path of old.keys()) if (!now.has(path)) changes.push([path, undefined]);
    if (changes.length > 0) updates.push({ kind: 'modify', obj: content.obj, changes });
  }
  for (const key of before?.keys() ?? []) {
    if (current.has(key)) continue;
    const colon = key.indexOf(':');
    updates.push({ kind: 'leave', obj: { type: key.slice(0, colon), value: key.slice(colon + 1) }, changes: [] });
  }
  return updates;
}

function filterUpdate(filter: string, updates: ObjectUpdate[]): VimObject {
  return obj('PropertyFilterUpdate', [
    ['filter', moref('PropertyFilter', filter)],
    [
      'objectSet',
      arr(
        'ObjectUpdate',
        updates.map((u) =>
          obj('ObjectUpdate', [
            ['kind', enumValue('ObjectUpdateKind', u.kind)],
            ['obj', moref(u.obj.type, u.obj.value)],
            [
              'changeSet',
              arr(
                'PropertyChange',
                u.changes.map(([name, val]) =>
                  obj('PropertyChange', [
                    ['name', str(name)],
                    ['op', enumValue('PropertyChangeOp', 'assign')],
                    ['val', val === undefined ? undefined : { kind: 'any', value: val }],
                  ]),
                ),
              ),
            ],
          ]),
        ),
      ),
    ],
  ]);
}
