import * as z from 'zod';
import { ValidationError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import type { StatsQuery } from '../use-cases/get-stats.js';

const MINUTE = 60_000;
/** Buckets per window: one a minute for the default hour. */
const BUCKETS = 60;

/** Query string of `GET /v1/stats`: `window` (`5m` to `6h`, default `1h`), cut into 60 buckets. */
export const StatsQuerySchema = z
  .object({
    window: z
      .string()
      .regex(/^[1-9][0-9]{0,2}[mh]$/, 'must be minutes or hours such as 15m or 1h')
      .default('1h')
      .transform((w) => Number(w.slice(0, -1)) * (w.endsWith('h') ? 60 : 1) * MINUTE)
      .refine((ms) => ms >= 5 * MINUTE && ms <= 360 * MINUTE, 'must be between 5m and 6h'),
  })
  .strict();

/** Parses the query parameters; rejects with ValidationError naming each bad parameter. */
export const parseStatsQuery = (params: Record<string, string | undefined> = {}): StatsQuery => {
  const result = StatsQuerySchema.safeParse(params);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, 'query'));
  return { windowMs: result.data.window, bucketMs: result.data.window / BUCKETS };
};
