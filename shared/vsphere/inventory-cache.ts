/**
 * The one cache of vCenter lookups that may go stale: inventory path → moref, (parent, name) → moref, a source VM's
 * facts (its devices, folder and delta-disk chain) and a network's NIC backing. Each answer lives for a TTL, and
 * concurrent askers share one round trip. Work that used a cached answer and then fails the way a stale answer
 * fails (`ManagedObjectNotFound`, `InvalidArgument`: the golden image was destroyed and re-created under a new
 * moref, or re-created with other devices) forgets the answers it used and runs once more with fresh ones.
 */
import type { CallOptions, MoRef, NicNetwork, VmFacts } from './types.js';
import type { VimClient } from './vim-client.js';

/** The lookups {@link InventoryCache.run} hands its work. Each may answer from the cache. */
export interface InventoryLookups {
  /** `FindByInventoryPath`; undefined (never cached) when nothing is there. */
  byPath(path: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /** `FindChild`; undefined (never cached) when there is no such child. */
  child(parent: MoRef, name: string, opts?: CallOptions): Promise<MoRef | undefined>;
  /** A source VM's facts, re-read after `sourceTtlMs` (its delta-disk chain grows with every clone). */
  sourceVm(vm: MoRef<'VirtualMachine'>, opts?: CallOptions): Promise<VmFacts>;
  network(ref: MoRef, opts?: CallOptions): Promise<NicNetwork>;
}

export interface InventoryCacheOptions {
  /** How long a path, child or network answer is trusted; default 5 minutes. */
  ttlMs?: number;
  /** How long a source VM's facts are trusted; default 60 s. */
  sourceTtlMs?: number;
  /** Clock seam for tests; defaults to `Date.now`. */
  now?: () => number;
}

interface Entry {
  value: Promise<unknown>;
  expires: number;
}

const STALE_FAULTS: ReadonlySet<string> = new Set(['ManagedObjectNotFound', 'InvalidArgument']);

/** True for the faults a stale moref (or stale facts) cause; the vim25 client's and the domain's errors alike. */
const looksStale = (err: unknown): boolean => {
  const faultType = typeof err === 'object' && err !== null && 'faultType' in err ? err.faultType : undefined;
  return typeof faultType === 'string' && STALE_FAULTS.has(faultType);
};

/**
 * @example
 * const cache = new InventoryCache(vim);
 * const task = await cache.run(async (lookups) => {
 *   const ref = await lookups.byPath('/DC0/vm/golden');
 *   return vim.instantClone(await lookups.sourceVm(ref as MoRef<'VirtualMachine'>), { name: 'ci-1' });
 * });
 */
export class InventoryCache {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;
  private readonly ttlMs: number;
  private readonly sourceTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly vim: VimClient,
    options: InventoryCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.sourceTtlMs = options.sourceTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs `work` with cached lookups. When it rejects with `ManagedObjectNotFound` or `InvalidArgument` after using
   * at least one cached answer, those answers are forgotten and `work` runs once more (asking vCenter afresh);
   * that second outcome is final. `work` must be safe to repeat after such a failure (a vCenter call that faulted
   * changed nothing). Anything else it throws passes through unchanged.
   */
  async run<T>(work: (lookups: InventoryLookups) => Promise<T>): Promise<T> {
    const used = new Set<string>();
    try {
      return await work(this.lookups(used));
    } catch (err) {
      if (used.size === 0 || !looksStale(err)) throw err;
      for (const key of used) this.entries.delete(key);
      return work(this.lookups(new Set()));
    }
  }

  /** Forgets everything (e.g. after the operator re-pointed the service at another vCenter). */
  clear(): void {
    this.entries.clear();
  }

  /** Answers held now, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops expired answers, at most once per source TTL. An answer nobody asks for again (a retired golden image, a
   * clone that was a source once, a folder no longer used) would otherwise stay for the life of a warm container.
   */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + Math.min(this.ttlMs, this.sourceTtlMs);
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
  }

  private lookups(used: Set<string>): InventoryLookups {
    const { vim } = this;
    const optional = (found: MoRef | undefined) => {
      if (!found) throw new NotFound();
      return found;
    };
    return {
      byPath: (path, opts) =>
        this.cachedOrUndefined(used, `path:${path}`, this.ttlMs, async () =>
          optional(await vim.findByInventoryPath(path, opts)),
        ),
      child: (parent, name, opts) =>
        this.cachedOrUndefined(used, `child:${parent.value}/${name}`, this.ttlMs, async () =>
          optional(await vim.findChild(parent, name, opts)),
        ),
      sourceVm: (vm, opts) => this.cached(used, `vm:${vm.value}`, this.sourceTtlMs, () => vim.getVm(vm, opts)),
      network: (ref, opts) => this.cached(used, `network:${ref.value}`, this.ttlMs, () => vim.getNetwork(ref, opts)),
    };
  }

  private async cachedOrUndefined(
    used: Set<string>,
    key: string,
    ttlMs: number,
    load: () => Promise<MoRef>,
  ): Promise<MoRef | undefined> {
    try {
      return await this.cached(used, key, ttlMs, load);
    } catch (err) {
      if (err instanceof NotFound) return undefined;
      throw err;
    }
  }

  /** One shared load per key; a failed load is forgotten at once, so the next asker tries again. */
  private cached<T>(used: Set<string>, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    this.sweep(this.now());
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) {
      used.add(key);
      return entry.value as Promise<T>;
    }
    const value = load();
    const fresh = { value, expires: this.now() + ttlMs };
    this.entries.set(key, fresh);
    value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return value;
  }
}

/** "Nothing there": not cached, so a VM created a moment later is found by the next lookup. */
class NotFound extends Error {}
