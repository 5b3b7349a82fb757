import { faults, VimFault } from '../soap/faults.js';
import type { VimObject } from '../soap/vim-value.js';
import type { CollectorRecord } from '../state.js';
import type { PropertyContext } from './object-properties.js';
import { diff } from './update-diff.js';

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
