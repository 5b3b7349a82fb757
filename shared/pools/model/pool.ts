import * as z from 'zod';
import type { CloneJob } from '../../clones/model/clone-job.js';
import { type CloneRequest, CloneRequestSchema, CloneSourceSchema } from '../../clones/model/clone-request.js';
import { JobIdSchema } from '../../clones/model/job-id.js';

/** Label every pool clone carries: the pool's name. Clone events carry it too, which is how the scaler finds its pool. */
export const POOL_LABEL = 'instaclone.pool';
/** Label of a claimed pool clone: who claimed it. A pool clone without it is a spare. */
export const CLAIMED_BY_LABEL = 'instaclone.claimedBy';

/** What a pool has right now. Jobs to be destroyed (DELETE arrived early) count nowhere. */
export type PoolCensus = {
  /** Unclaimed SUCCEEDED clones, oldest first. */
  ready: CloneJob[];
  /** Unclaimed clones still QUEUED or RUNNING. */
  inFlight: CloneJob[];
  /** Claimed clones still alive (QUEUED, RUNNING or SUCCEEDED). */
  claimed: CloneJob[];
  /** QUEUED + RUNNING jobs of the whole service, pools or not: what the vCenter concurrency cap limits. */
  serviceInFlight: number;
};

export const poolOf = (job: CloneJob): string | undefined => job.request.labels?.[POOL_LABEL];
export const claimerOf = (job: CloneJob): string | undefined => job.request.labels?.[CLAIMED_BY_LABEL];

/** Clone request fields the pool decides itself, so a template may not set them. */
const POOL_OWNED_FIELDS = ['source', 'name', 'count', 'ttlMinutes'] as const;

export const PoolNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'pool names are 1-40 lower-case letters, digits or "-"');

const count = (max: number) => z.number().int().min(0).max(max);

/**
 * Body of `PUT /v1/pools/{name}`, version 1. `source` (one VM) or `sources` (one frozen or running source per host,
 * used round-robin: a clone lands on its source's host) plus a `template` of clone request fields (nics, folder,
 * guestinfo, labels, waitFor, …) that every pool clone gets. The scaler keeps `spare` unclaimed clones ready,
 * never fewer than `min` nor more than `max` pool clones alive (claimed ones included). A claimed clone is
 * destroyed `ttlMinutes` after its claim unless released sooner. `namePrefix` names clones `<prefix>-<uuid>`.
 */
export const PoolSpecSchema = z
  .object({
    version: z.literal('1').default('1'),
    source: CloneSourceSchema.optional(),
    sources: z.array(CloneSourceSchema).min(1).max(32).optional(),
    template: z.record(z.string(), z.unknown()).default({}),
    min: count(100).default(0),
    max: count(100).min(1).default(10),
    spare: count(100).default(1),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60)
      .default(60),
    namePrefix: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, '1-40 letters, digits or "_.-", starting with a letter or digit')
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if ((spec.source === undefined) === (spec.sources === undefined))
      ctx.addIssue({ code: 'custom', path: ['source'], message: 'give exactly one of "source" or "sources"' });
    if (spec.min > spec.max) ctx.addIssue({ code: 'custom', path: ['min'], message: 'must not exceed "max"' });
    if (spec.spare > spec.max) ctx.addIssue({ code: 'custom', path: ['spare'], message: 'must not exceed "max"' });
    for (const field of POOL_OWNED_FIELDS) {
      if (field in spec.template)
        ctx.addIssue({ code: 'custom', path: ['template', field], message: 'is set by the pool, not the template' });
    }
    const labels = spec.template.labels;
    if (labels && typeof labels === 'object' && Object.keys(labels).some((k) => k.startsWith('instaclone.')))
      ctx.addIssue({
        code: 'custom',
        path: ['template', 'labels'],
        message: 'keys starting with "instaclone." are reserved',
      });
    // Probed with the two labels every pool clone gets, so a template never makes a clone request that breaks.
    const templateLabels = labels && typeof labels === 'object' ? labels : {};
    const probe = CloneRequestSchema.safeParse({
      ...spec.template,
      source: sourcesOf(spec)[0] ?? { moref: 'vm-1' },
      labels: { ...templateLabels, [POOL_LABEL]: 'pool', [CLAIMED_BY_LABEL]: 'claimant' },
    });
    for (const issue of probe.success ? [] : probe.error.issues) {
      const tooManyLabels = issue.path.join('.') === 'labels' && issue.message === 'at most 20 labels';
      const message = tooManyLabels ? 'at most 18 labels (every pool clone gets two more of its own)' : issue.message;
      ctx.addIssue({ code: 'custom', path: ['template', ...issue.path.map(String)], message });
    }
  });
export type PoolSpec = z.infer<typeof PoolSpecSchema>;
export type PoolSpecInput = z.input<typeof PoolSpecSchema>;

/**
 * A pool as stored: its spec plus the scaler's bookkeeping. `outstanding` holds the ids of clone jobs the scaler
 * submitted and has not yet seen finish (read with consistent reads, so a just-submitted job is never missed by a
 * lagging index); `failureStreak` counts consecutive failed ones; while `backoffUntil` lies ahead the scaler
 * submits nothing. `lockOwner`/`lockUntil` is the scaling lease; `dirty` asks its holder for one more pass.
 */
export type Pool = {
  name: string;
  spec: PoolSpec;
  version: number;
  createdAt: string;
  updatedAt: string;
  epoch: number;
  outstanding: string[];
  failureStreak: number;
  sourceCursor: number;
  backoffUntil?: string;
  degradedSince?: string;
  degradedReason?: string;
  lockOwner?: string;
  lockUntil?: string;
  dirty?: boolean;
  lastScaledAt?: string;
};

/** The scaler's bookkeeping written back when it releases its lease. */
export type ScalingState = Pick<Pool, 'outstanding' | 'failureStreak' | 'sourceCursor'> &
  Partial<Pick<Pool, 'backoffUntil' | 'degradedSince' | 'degradedReason'>> & { lastScaledAt: string };

/** The pool's sources in round-robin order. */
export const sourcesOf = (spec: PoolSpec) => spec.sources ?? (spec.source ? [spec.source] : []);

/**
 * The clone request of one pool clone: the template with the pool's source, name and labels. A spare has no lease
 * (its lease starts at its claim); a clone claimed at birth (`claimedBy`) gets the pool's lease and the claim label.
 */
export const poolCloneRequest = (
  pool: Pick<Pool, 'name' | 'spec'>,
  pick: { sourceIndex: number; uniqueId: string; claimedBy?: string },
): CloneRequest => {
  const sources = sourcesOf(pool.spec);
  const template = pool.spec.template as { labels?: Record<string, string> };
  return CloneRequestSchema.parse({
    ...pool.spec.template,
    source: sources[pick.sourceIndex % sources.length],
    ...(pool.spec.namePrefix && { name: `${pool.spec.namePrefix}-${pick.uniqueId}` }),
    labels: {
      ...template.labels,
      [POOL_LABEL]: pool.name,
      ...(pick.claimedBy !== undefined && { [CLAIMED_BY_LABEL]: pick.claimedBy }),
    },
    ...(pick.claimedBy !== undefined && { ttlMinutes: pool.spec.ttlMinutes }),
    count: 1,
  });
};

/** Body of `POST /v1/pools/{name}/claim`. */
export const ClaimRequestSchema = z
  .object({
    version: z.literal('1').default('1'),
    /** Who claims (a CI job id, a user); becomes the clone's `instaclone.claimedBy` label. */
    claimedBy: z.string().min(1).max(256).default('anonymous'),
  })
  .strict();
export type ClaimRequest = z.infer<typeof ClaimRequestSchema>;

/** Body of `POST /v1/pools/{name}/release`. */
export const ReleaseRequestSchema = z.object({ version: z.literal('1').default('1'), jobId: JobIdSchema }).strict();
export type ReleaseRequest = z.infer<typeof ReleaseRequestSchema>;
