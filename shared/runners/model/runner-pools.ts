import * as z from 'zod';
import { globMatches } from '../../access/model/patterns.js';
import { CloneSourceSchema } from '../../clones/model/clone-request.js';
import { PoolNameSchema } from '../../pools/model/pool.js';

const LabelSchema = z.string().min(1).max(100);

/** One pool: the runner labels it serves and the golden VM its runners are cloned from. */
export const RunnerPoolSchema = z
  .object({
    /** Short name, used in labels and runner names: letters, digits, `-`. */
    name: z.string().regex(/^[a-z0-9-]{1,32}$/, 'pool names are 1-32 lower-case letters, digits or "-"'),
    /** Labels the runner registers with; a job matches when all its `runs-on` labels are among them. */
    labels: z.array(LabelSchema).min(1).max(20),
    source: CloneSourceSchema,
    folder: z.string().min(1).optional(),
    /** Runner registrations at repository (default) or organisation level. */
    scope: z.enum(['repo', 'org']).default('repo'),
    /** Runner group id for `generate-jitconfig` (org runners; 1 = Default). */
    runnerGroupId: z.number().int().min(1).default(1),
    /** Lease: a runner VM is destroyed this long after it is up, job or not (orphan bound). */
    maxLifetimeMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(360),
    /**
     * Orphan bound: a runner clone up this long whose runner is not busy (or never came online) is unregistered
     * and destroyed by the idle-runner reaper.
     */
    idleMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /**
     * Name of an instaclone warm pool (`PUT /v1/pools/{name}`) of running clones of the same golden VM. A queued job
     * claims a ready spare and the worker hands it its JIT config (`Clone Configured`); with no spare ready, the
     * job gets a fresh clone as without a warm pool.
     */
    warmPool: PoolNameSchema.optional(),
    /** Extra guestinfo for the runner VMs (never secrets: it is stored with the job). */
    guestinfo: z.record(z.string(), z.string()).optional(),
    /**
     * Repositories whose jobs may get a runner of this pool: `owner/name` or `owner/*` (the owner literal). A JIT
     * runner config is minted only for a job of an allowed repository or organisation.
     */
    repositories: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.*-]+$/, 'must be owner/name or owner/*'))
      .min(1)
      .max(100)
      .optional(),
    /** Organisations (and users) whose repositories' jobs may get a runner of this pool. */
    organizations: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be an organisation login'))
      .min(1)
      .max(100)
      .optional(),
    /** GitHub App installations allowed to ask for runners of this pool; any installation when absent. */
    installations: z.array(z.number().int().positive()).min(1).max(100).optional(),
  })
  .strict()
  .refine((pool) => pool.repositories !== undefined || pool.organizations !== undefined, {
    path: ['repositories'],
    message: 'give "repositories" or "organizations": the GitHub jobs this pool may mint runners for',
  });
export type RunnerPool = z.infer<typeof RunnerPoolSchema>;

/** Where a GitHub job comes from: its repository (`owner/name`) and App installation. */
export type GithubOrigin = { repository: string; installationId: number | undefined };

/**
 * Whether `pool` may serve a job of `origin`: its installation is allowed (when the pool lists installations) and its
 * repository is listed or belongs to a listed organisation. Owners compare case-insensitively, as GitHub does.
 */
export const poolAdmits = (pool: RunnerPool, origin: GithubOrigin): boolean => {
  if (pool.installations && !pool.installations.includes(origin.installationId ?? -1)) return false;
  const repository = origin.repository.toLowerCase();
  const owner = repository.split('/')[0] ?? '';
  return (
    (pool.organizations ?? []).some((org) => org.toLowerCase() === owner) ||
    (pool.repositories ?? []).some((pattern) => globMatches(pattern.toLowerCase(), repository))
  );
};

/**
 * `GITHUB_RUNNER_POOLS`, a JSON document, version 1:
 * `{"version":"1","pools":[{"name":"linux","labels":["self-hosted","linux","x64"],"source":{"path":"/DC0/vm/runner-golden"},
 * "organizations":["acme"]}]}`.
 */
export const RunnerPoolsSchema = z
  .object({ version: z.literal('1'), pools: z.array(RunnerPoolSchema).max(50) })
  .strict()
  .refine((c) => new Set(c.pools.map((p) => p.name)).size === c.pools.length, 'pool names must be unique');
export type RunnerPools = z.infer<typeof RunnerPoolsSchema>;

/** Parses the env value; an absent value means "no pools" (every job is ignored). */
export const parseRunnerPools = (json: string | undefined): RunnerPools => {
  if (!json) return { version: '1', pools: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('GITHUB_RUNNER_POOLS is not JSON');
  }
  const parsed = RunnerPoolsSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `GITHUB_RUNNER_POOLS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
};

/**
 * The first pool (in configuration order) whose labels include every label the job asks for, compared
 * case-insensitively as GitHub does; undefined when none does (the job is not ours).
 */
export const poolForLabels = (pools: RunnerPools, jobLabels: readonly string[]): RunnerPool | undefined => {
  if (jobLabels.length === 0) return undefined;
  const wanted = jobLabels.map((l) => l.toLowerCase());
  return pools.pools.find((pool) => {
    const offered = new Set(pool.labels.map((l) => l.toLowerCase()));
    return wanted.every((l) => offered.has(l));
  });
};

export const poolByName = (pools: RunnerPools, name: string | undefined): RunnerPool | undefined =>
  pools.pools.find((p) => p.name === name);
