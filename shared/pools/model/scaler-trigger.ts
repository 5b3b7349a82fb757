import { DETAIL_TYPES } from '../../events/clone-events.js';
import { POOL_LABEL } from './pool.js';
import { POOL_DETAIL_TYPES } from './pool-events.js';

/** Which pools one scaler invocation looks at: one named pool, or all of them (the schedule, an unknown event). */
export type ScalerTrigger = { pool: string } | { allPools: true };

type Envelope = { 'detail-type'?: unknown; detail?: unknown };

const CLONE_TYPES: readonly unknown[] = [DETAIL_TYPES.succeeded, DETAIL_TYPES.failed, DETAIL_TYPES.destroyed];
const POOL_TYPES: readonly unknown[] = Object.values(POOL_DETAIL_TYPES);

const stringAt = (value: unknown, key: string): string | undefined => {
  const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof found === 'string' && found.length > 0 ? found : undefined;
};

/**
 * Reads the pool an EventBridge event is about: a clone event's `instaclone.pool` label, a pool event's `pool`.
 * The schedule (and anything unrecognised) scans every pool: a scan is always safe, only slower. Pure.
 */
export const scalerTriggerFor = (event: unknown): ScalerTrigger => {
  const { 'detail-type': type, detail } = (event ?? {}) as Envelope;
  const pool = CLONE_TYPES.includes(type)
    ? stringAt((detail as { labels?: unknown } | undefined)?.labels, POOL_LABEL)
    : POOL_TYPES.includes(type)
      ? stringAt(detail, 'pool')
      : undefined;
  return pool ? { pool } : { allPools: true };
};
