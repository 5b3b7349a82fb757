import type { ScalerTrigger } from '../model/scaler-trigger.js';
import type { PoolRepository } from '../ports/pool-ports.js';
import type { ScaleOutcome } from './scale-pool.js';

export type ScalerRunResult = { outcomes: ScaleOutcome[]; failures: Array<{ pool: string; error: unknown }> };

/**
 * The scaler function's use case: scales the pool a trigger names, or every pool one after the other (schedule).
 * One pool's failure does not stop the others; the caller decides whether failures make the invocation fail.
 */
export const makeRunScaler =
  ({ pools, scalePool }: { pools: PoolRepository; scalePool: (name: string) => Promise<ScaleOutcome> }) =>
  async (trigger: ScalerTrigger): Promise<ScalerRunResult> => {
    const names = 'pool' in trigger ? [trigger.pool] : (await pools.list()).map((p) => p.name);
    const result: ScalerRunResult = { outcomes: [], failures: [] };
    for (const name of names) {
      try {
        result.outcomes.push(await scalePool(name));
      } catch (error) {
        result.failures.push({ pool: name, error });
      }
    }
    return result;
  };
