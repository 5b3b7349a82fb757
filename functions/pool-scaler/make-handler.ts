import middy from '@middy/core';
import { servicePrincipal } from '#shared/access/model/principal';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { macFamily } from '#shared/composition/mac-deps';
import { poolFamily } from '#shared/composition/pool-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { PoolScalerConfigSchema } from '#shared/pools/config';
import { scalerTriggerFor } from '#shared/pools/model/scaler-trigger';
import { makeRunScaler } from '#shared/pools/use-cases/scale-all-pools';
import { makeScalePool } from '#shared/pools/use-cases/scale-pool';

export type PoolScalerDeps = Pick<
  ReturnType<typeof buildDeps>,
  'jobs' | 'pools' | 'claims' | 'queue' | 'poolEvents' | 'clock' | 'ids' | 'macs' | 'scalingPolicy' | 'logger'
>;

/** Who warm-pool spares are requested by. */
const POOL_SCALER = servicePrincipal('pool-scaler');

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = PoolScalerConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(coreFamily, awsFamily, macFamily, poolFamily);

/**
 * EventBridge target (pool clone completions, claims, releases, `Pool Scale Requested`) and schedule: scales the
 * pool the event names, or every pool. Throws when a pool could not be scaled, so Lambda's async retries (and the
 * schedule) try again.
 */
export const makeHandler = ({
  jobs,
  pools,
  claims,
  queue,
  poolEvents,
  clock,
  ids,
  macs,
  scalingPolicy,
  logger,
}: PoolScalerDeps) => {
  // Spares are the service's own clones: the pool's spec was authorized (`manage-pools`) when it was put.
  const submitSpare = makeSubmitClone({ jobs, queue, clock, ids, access: internalAccess('warm-pool'), macs });
  const runScaler = makeRunScaler({
    pools,
    scalePool: makeScalePool({
      pools,
      jobs,
      claims,
      submitClone: (request) => submitSpare(request, POOL_SCALER),
      requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
      events: poolEvents,
      clock,
      ids,
      policy: scalingPolicy,
    }),
  });
  const log = logger(serviceNameOf('pool-scaler'));
  return middy().handler(async (event: unknown) => {
    const { outcomes, failures } = await runScaler(scalerTriggerFor(event));
    for (const outcome of outcomes) {
      if (outcome.submitted.length || outcome.retired.length || outcome.degraded)
        log.info('pool scaled', { ...outcome });
    }
    if (failures.length > 0) {
      for (const { pool, error } of failures) log.error('pool scaling failed', { pool, error: error as Error });
      throw new Error(`Scaling failed for pool(s) ${failures.map((f) => f.pool).join(', ')}`);
    }
    return { scaled: outcomes.map((o) => o.pool) };
  });
};
