import * as z from 'zod';
import { CloneSourceSchema } from '../../clones/model/clone-request.js';
import type { JobStats } from '../model/job-stats.js';

const LatencySchema = z
  .object({
    count: z.number().int(),
    p50Ms: z.number().optional(),
    p95Ms: z.number().optional(),
    maxMs: z.number().optional(),
  })
  .strict()
  .describe('Durations in ms, nearest-rank percentiles; absent when count is 0');

const at = z.string().describe('Start of the bucket');

/**
 * `GET /v1/stats` as the API answers it (computeJobStats), for the OpenAPI document. test/unit/http/openapi.test.ts
 * checks it both ways against computed statistics with every field present.
 */
export const StatsViewSchema = z
  .object({
    version: z.literal('1'),
    window: z.object({ from: z.string(), to: z.string(), bucketSeconds: z.number() }).strict(),
    jobsRead: z.number().int(),
    truncated: z.boolean().describe('The read stopped at its cap: the figures undercount'),
    totals: z
      .object({
        accepted: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
        acceptToSucceeded: LatencySchema,
        queueTime: LatencySchema.describe('Accept → taken by a worker'),
        taskTime: LatencySchema.describe('InstantClone_Task created → ended'),
      })
      .strict(),
    series: z.array(
      z
        .object({
          at,
          accepted: z.number().int(),
          succeeded: z.number().int(),
          failed: z.number().int(),
          succeededP50Ms: z.number().optional().describe('Accept → SUCCEEDED of the jobs that succeeded in the bucket'),
          succeededP95Ms: z.number().optional(),
          queued: z.number().int().describe('At the end of the bucket: accepted, not yet taken by a worker'),
          running: z.number().int().describe('At the end of the bucket: taken by a worker, clone not yet ended'),
        })
        .strict(),
    ),
    pools: z.array(
      z
        .object({
          name: z.string(),
          series: z.array(
            z
              .object({
                at,
                ready: z.number().int().describe('Unclaimed ready spares at the end of the bucket'),
                claims: z.number().int(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    runners: z
      .object({
        poweredOn: LatencySchema.describe('GitHub webhook → runner clone powered on (warm spare: JIT config set)'),
        series: z.array(
          z
            .object({ at, count: z.number().int(), p50Ms: z.number().optional(), p95Ms: z.number().optional() })
            .strict(),
        ),
      })
      .strict(),
    sources: z
      .array(z.object({ source: CloneSourceSchema, jobs: z.number().int(), lastAt: z.string() }).strict())
      .describe('Sources of the jobs read, most recently used first (at most 20)'),
  })
  .strict() satisfies z.ZodType<JobStats>;
