import { faults, VimFault } from '../soap/faults.js';
import { arr, bool, enumValue, moref, obj, str, type VimObject, type VimValue } from '../soap/vim-value.js';
import { writeElement } from '../soap/xml-writer.js';
import type { CollectorRecord } from '../state.js';
import { collect, type ObjectContent } from './collect.js';
import type { PropertyContext } from './object-properties.js';

/** WaitOptions of WaitForUpdatesEx plus the request abort signal. */
export interface WaitOptions {
  /** Unset: block until something changes. 0: compute once. >0: block at most this long, then no returnval. */
  maxWaitSeconds?: number;
  /**
   * Unset: no limit. >0: at most this many ObjectUpdates per answer; the rest stays pending (`truncated=true`) and
   * comes with the next version, as vCenter does.
   */
  maxObjectUpdates?: number;
  signal?: AbortSignal;
}

type Snapshot = Map<string, Map<string, Map<string, string>>>;
interface ObjectUpdate {
  kind: 'enter' | 'modify' | 'leave';
  obj: { type: string; value: string };
  changes: Array<readonly [string, VimValue | undefined]>;
}

/**
 * WaitForUpdatesEx / WaitForUpdates (reference §2.7). An empty version reports everything the collector's filters
 * cover as `enter`; a version the collector issued reports what changed since (`modify`, `enter` for new objects,
 * `leave` for vanished ones), blocking until there is something. Resolves `undefined` (no returnval) when
 * `maxWaitSeconds` passes first. With `maxObjectUpdates`, an answer holds at most that many object updates and says
 * `truncated`; only what was reported counts as seen, so the next call reports the rest.
 * @throws VimFault InvalidCollectorVersion for a version this collector never issued; RequestCanceled when
 *   CancelWaitForUpdates (or DestroyPropertyCollector) interrupts the wait.
 */
export async function waitForUpdates(
  ctx: PropertyContext,
  collector: CollectorRecord,
  version: string | undefined,
  options: WaitOptions,
): Promise<VimObject | undefined> {
  if (version === undefined || version === '') collector.baseline = new Map();
  else if (!/^\d+$/.test(version) || Number(version) > collector.version) throw faults.invalidCollectorVersion();
  collector.cancelWait?.();

  const first = diff(ctx, collector, options.maxObjectUpdates);
  if (first || options.maxWaitSeconds === 0) return first;
  return new Promise<VimObject | undefined>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let scheduled = false;
    const done = (): void => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (collector.cancelWait === cancel) collector.cancelWait = undefined;
    };
    const cancel = (): void => {
      done();
      reject(faults.requestCanceled());
    };
    const onAbort = (): void => cancel();
    // Many changes in one tick (a task finishing touches several objects) are reported together.
    const onChange = (): void => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        try {
          const update = diff(ctx, collector, options.maxObjectUpdates);
          if (update) {
            done();
            resolve(update);
          }
        } catch (err) {
          done();
          reject(err instanceof VimFault ? err : faults.systemError(String(err)));
        }
      });
    };
    const unsubscribe = ctx.state.inventory.onChange(onChange);
    collector.cancelWait = cancel;
    options.signal?.addEventListener('abort', onAbort);
    if (options.maxWaitSeconds !== undefined && options.maxWaitSeconds > 0) {
      timer = setTimeout(() => {
        done();
        resolve(undefined);
      }, options.maxWaitSeconds * 1000);
    }
  });
}

function diff(ctx: PropertyContext, collector: CollectorRecord, maxObjectUpdates?: number): VimObject | undefined {
  const filterUpdates: VimObject[] = [];
  const next: Snapshot = new Map();
  let budget = maxObjectUpdates ?? Number.POSITIVE_INFINITY;
  let truncated = false;
  for (const filterMoref of collector.filters) {
    const filter = ctx.state.filters.get(filterMoref);
    if (!filter) continue;
    const contents = safeCollect(ctx, filter.spec);
    const current = snapshot(contents);
    const before = collector.baseline.get(filterMoref);
    const updates = compare(contents, current, before);
    const reported = updates.slice(0, Math.max(0, budget));
    budget -= reported.length;
    if (reported.length < updates.length) {
      truncated = true;
      next.set(filterMoref, seen(before, current, reported));
    } else {
      next.set(filterMoref, current);
    }
    if (reported.length > 0) filterUpdates.push(filterUpdate(filterMoref, reported));
  }
  if (filterUpdates.length === 0) return undefined;
  collector.baseline = next;
  collector.version += 1;
  return obj('UpdateSet', [
    ['version', str(String(collector.version))],
    ['filterSet', arr('PropertyFilterUpdate', filterUpdates)],
    ['truncated', truncated ? bool(true) : undefined],
  ]);
}

/** The baseline after a truncated answer: the old one, with only the reported objects brought up to date. */
function seen(
  before: Map<string, Map<string, string>> | undefined,
  current: Map<string, Map<string, string>>,
  reported: ObjectUpdate[],
): Map<string, Map<string, string>> {
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
function safeCollect(ctx: PropertyContext, spec: Parameters<typeof collect>[1]): ObjectContent[] {
  try {
    return collect(ctx, { ...spec, reportMissingObjectsInResults: true }).filter((c) => ctx.state.typeOf(c.obj.value));
  } catch {
    return [];
  }
}

function snapshot(contents: ObjectContent[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const content of contents) {
    const props = new Map<string, string>();
    for (const [path, value] of content.props) props.set(path, writeElement('v', value, true));
    out.set(`${content.obj.type}:${content.obj.value}`, props);
  }
  return out;
}

function compare(
  contents: ObjectContent[],
  current: Map<string, Map<string, string>>,
  before: Map<string, Map<string, string>> | undefined,
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
