import type { JobRepository } from '../../clones/ports/job-repository.js';
import type { Clock } from '../../runtime/runtime.js';
import type { PoolSpec } from '../model/pool.js';
import { PoolNotFoundError } from '../model/pool-errors.js';
import { POOL_DETAIL_TYPES } from '../model/pool-events.js';
import { assertPoolFits } from '../model/pool-limits.js';
import { type PoolView, toPoolView } from '../model/pool-view.js';
import type { PoolEventPublisher, PoolRepository } from '../ports/pool-ports.js';
import { takeCensus } from './pool-census.js';

export type ManagePoolsDeps = { pools: PoolRepository; jobs: JobRepository; events: PoolEventPublisher; clock: Clock };

/**
 * `PUT`, `GET` and `GET` list of pools. `put` creates or replaces the spec (clearing a degraded state, since the
 * new spec may fix the source) and asks for a scaling pass with `Pool Scale Requested`; the scaler does the
 * cloning. `get` counts the pool's clones; `list` shows specs and health without counts.
 * `put` rejects with PayloadTooLargeError when the spec or the clones it makes are over their budget; `get` rejects
 * with PoolNotFoundError.
 */
export const makeManagePools = ({ pools, jobs, events, clock }: ManagePoolsDeps) => ({
  put: async (name: string, spec: PoolSpec): Promise<{ pool: PoolView; created: boolean }> => {
    assertPoolFits(name, spec);
    const { pool, created } = await pools.put(name, spec, clock.now());
    await events.publish({
      detailType: POOL_DETAIL_TYPES.scaleRequested,
      detail: { version: '1', pool: name, reason: created ? 'pool created' : 'pool updated' },
    });
    return { pool: toPoolView(pool), created };
  },
  get: async (name: string): Promise<PoolView> => {
    const pool = await pools.get(name);
    if (!pool) throw new PoolNotFoundError(name);
    return toPoolView(pool, await takeCensus(jobs, name));
  },
  list: async (): Promise<PoolView[]> => (await pools.list()).map((pool) => toPoolView(pool)),
});
