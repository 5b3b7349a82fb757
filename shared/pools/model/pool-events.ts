import * as z from 'zod';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../events/clone-events.js';
import type { EventPattern } from '../../events/event-pattern.js';
import { POOL_LABEL } from './pool.js';

export const POOL_DETAIL_TYPES = {
  claimed: 'Pool Claimed',
  released: 'Pool Released',
  degraded: 'Pool Degraded',
  /** Sent by anyone (a CI queue-depth alarm, an operator) to ask for a scaling pass now. */
  scaleRequested: 'Pool Scale Requested',
} as const;
export type PoolDetailType = (typeof POOL_DETAIL_TYPES)[keyof typeof POOL_DETAIL_TYPES];

const at = z.string();

/** `Pool Claimed`, version 1: a clone was handed out, a ready spare (`spare`) or a clone queued for the claim (`fresh`). */
export const PoolClaimedDetailSchema = z.object({
  version: z.literal('1'),
  pool: z.string(),
  jobId: z.string(),
  claimedBy: z.string(),
  source: z.enum(['spare', 'fresh']),
  vmName: z.string(),
  vm: z.object({ moref: z.string(), name: z.string() }).optional(),
  leaseExpiresAt: z.string().optional(),
  at,
});

/**
 * `Pool Released`, version 1: a claim ended and its clone is being destroyed, because it was given back
 * (`released`) or its lease ran out (`lease expired`).
 */
export const PoolReleasedDetailSchema = z.object({
  version: z.literal('1'),
  pool: z.string(),
  jobId: z.string(),
  claimedBy: z.string().optional(),
  reason: z.enum(['released', 'lease expired']).optional(),
  at,
});

/** `Pool Degraded`, version 1: clones of the pool keep failing; the scaler submits nothing until `backoffUntil`. */
export const PoolDegradedDetailSchema = z.object({
  version: z.literal('1'),
  pool: z.string(),
  failureStreak: z.number(),
  backoffUntil: z.string(),
  failedJobIds: z.array(z.string()),
  lastError: z.object({ code: z.string(), fault: z.string().optional(), message: z.string() }).optional(),
  at,
});

/** `Pool Scale Requested`, version 1, from any source: run a scaling pass of `pool` now. */
export const PoolScaleRequestedDetailSchema = z.object({
  version: z.literal('1'),
  pool: z.string(),
  reason: z.string().max(256).optional(),
});

export type PoolEvent =
  | { detailType: 'Pool Claimed'; detail: z.infer<typeof PoolClaimedDetailSchema> }
  | { detailType: 'Pool Released'; detail: z.infer<typeof PoolReleasedDetailSchema> }
  | { detailType: 'Pool Degraded'; detail: z.infer<typeof PoolDegradedDetailSchema> }
  | { detailType: 'Pool Scale Requested'; detail: z.infer<typeof PoolScaleRequestedDetailSchema> };

/**
 * Rule patterns of the pool scaler, shared by the CDK stack and the local bus. Three rules rather than one `$or`
 * so the CDK rendering stays plain: clone completions of pool clones, our own claims/releases, and scale requests
 * from any source.
 */
export const POOL_EVENT_RULES = {
  poolCloneEvents: {
    source: [EVENT_SOURCE],
    'detail-type': [DETAIL_TYPES.succeeded, DETAIL_TYPES.failed, DETAIL_TYPES.destroyed],
    detail: { labels: { [POOL_LABEL]: [{ exists: true }] } },
  },
  poolActivity: { source: [EVENT_SOURCE], 'detail-type': [POOL_DETAIL_TYPES.claimed, POOL_DETAIL_TYPES.released] },
  poolScaleRequested: { 'detail-type': [POOL_DETAIL_TYPES.scaleRequested] },
} as const satisfies Record<string, EventPattern>;
