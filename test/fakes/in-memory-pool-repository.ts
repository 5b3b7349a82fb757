import type { Pool, PoolSpec, ScalingState } from '#shared/pools/model/pool';
import type { PoolRepository } from '#shared/pools/ports/pool-ports';

/** PoolRepository in a Map, with the DynamoDB adapter's lease rules. Each call yields first, so calls interleave. */
export class InMemoryPoolRepository implements PoolRepository {
  readonly items = new Map<string, Pool>();

  async put(name: string, spec: PoolSpec, now: Date): Promise<{ pool: Pool; created: boolean }> {
    await Promise.resolve();
    const at = now.toISOString();
    const old = this.items.get(name);
    const pool: Pool = {
      epoch: 0,
      outstanding: [],
      sourceCursor: 0,
      ...old,
      name,
      spec,
      version: (old?.version ?? 0) + 1,
      createdAt: old?.createdAt ?? at,
      updatedAt: at,
      failureStreak: 0,
    };
    delete pool.backoffUntil;
    delete pool.degradedSince;
    delete pool.degradedReason;
    this.items.set(name, pool);
    return { pool: structuredClone(pool), created: !old };
  }

  async get(name: string): Promise<Pool | undefined> {
    await Promise.resolve();
    const pool = this.items.get(name);
    return pool && structuredClone(pool);
  }

  async list(): Promise<Pool[]> {
    await Promise.resolve();
    return [...this.items.values()].sort((a, b) => a.name.localeCompare(b.name)).map((p) => structuredClone(p));
  }

  async delete(name: string): Promise<boolean> {
    await Promise.resolve();
    return this.items.delete(name);
  }

  async acquireScaling(name: string, lease: { owner: string; now: Date; leaseMs: number }) {
    await Promise.resolve();
    const pool = this.items.get(name);
    if (!pool) return undefined;
    if (pool.lockUntil && pool.lockUntil >= lease.now.toISOString()) return 'busy' as const;
    pool.lockOwner = lease.owner;
    pool.lockUntil = new Date(lease.now.getTime() + lease.leaseMs).toISOString();
    pool.epoch++;
    pool.version++;
    delete pool.dirty;
    return structuredClone(pool);
  }

  async markDirty(name: string): Promise<void> {
    await Promise.resolve();
    const pool = this.items.get(name);
    if (pool) pool.dirty = true;
  }

  async releaseScaling(name: string, owner: string, state: ScalingState) {
    await Promise.resolve();
    const pool = this.items.get(name);
    if (!pool || pool.lockOwner !== owner) return { dirty: false, lost: true };
    const {
      lockOwner: _owner,
      lockUntil: _until,
      backoffUntil: _b,
      degradedSince: _d,
      degradedReason: _r,
      ...rest
    } = pool;
    const next: Pool = {
      ...rest,
      ...structuredClone(state),
      outstanding: [...state.outstanding],
      version: pool.version + 1,
    };
    for (const key of ['backoffUntil', 'degradedSince', 'degradedReason'] as const)
      if (next[key] === undefined) delete next[key];
    this.items.set(name, next);
    return { dirty: next.dirty === true, lost: false };
  }
}
