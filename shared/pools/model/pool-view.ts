import type { Pool, PoolCensus, PoolSpec } from './pool.js';

/** What the API shows of a pool: its spec and health, with live counts when a census was taken. */
export type PoolView = {
  name: string;
  spec: PoolSpec;
  status: {
    degraded: boolean;
    failureStreak: number;
    degradedSince?: string;
    degradedReason?: string;
    backoffUntil?: string;
    lastScaledAt?: string;
    ready?: number;
    inFlight?: number;
    claimed?: number;
  };
  version: number;
  createdAt: string;
  updatedAt: string;
};

export const toPoolView = (pool: Pool, census?: PoolCensus): PoolView => ({
  name: pool.name,
  spec: pool.spec,
  status: {
    degraded: pool.degradedSince !== undefined,
    failureStreak: pool.failureStreak,
    ...(pool.degradedSince && { degradedSince: pool.degradedSince }),
    ...(pool.degradedReason && { degradedReason: pool.degradedReason }),
    ...(pool.backoffUntil && { backoffUntil: pool.backoffUntil }),
    ...(pool.lastScaledAt && { lastScaledAt: pool.lastScaledAt }),
    ...(census && { ready: census.ready.length, inFlight: census.inFlight.length, claimed: census.claimed.length }),
  },
  version: pool.version,
  createdAt: pool.createdAt,
  updatedAt: pool.updatedAt,
});
