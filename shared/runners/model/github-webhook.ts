import * as z from 'zod';

/**
 * The parts of GitHub's `workflow_job` webhook payload we read (GitHub sends far more; unknown fields pass).
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_job
 */
export const WorkflowJobPayloadSchema = z.object({
  action: z.string(),
  workflow_job: z.object({
    id: z.number().int().positive(),
    run_id: z.number().int().positive(),
    run_attempt: z.number().int().optional(),
    name: z.string().optional(),
    labels: z.array(z.string()),
    runner_name: z.string().nullable().optional(),
    conclusion: z.string().nullable().optional(),
    created_at: z.string().optional(),
  }),
  repository: z.object({
    name: z.string(),
    full_name: z.string(),
    owner: z.object({ login: z.string() }),
  }),
  organization: z.object({ login: z.string() }).optional(),
  installation: z.object({ id: z.number().int().positive() }).optional(),
});
export type WorkflowJobPayload = z.infer<typeof WorkflowJobPayloadSchema>;

/** Labels a runner clone carries; the worker hook and the `completed` handling read them back. */
export const RUNNER_LABELS = {
  pool: 'github.pool',
  jobId: 'github.job-id',
  runId: 'github.run-id',
  repo: 'github.repo',
  org: 'github.org',
  installationId: 'github.installation-id',
  queuedAt: 'github.queued-at',
  /** Set on a warm-pool spare claimed for a GitHub job (its runner pool's `warmPool`). */
  warm: 'github.warm',
} as const;

/** Job id of the runner clone for one GitHub job: deterministic, so a repeated `queued` finds the first job. */
export const runnerJobId = (workflowJobId: number): string => `github-job-${workflowJobId}`;
/**
 * Runner name of the clone of job `jobId` (GitHub shows it on the job's page): `instaclone-<jobId>`, which is also
 * the VM name of a runner cloned for its job; a warm-pool spare keeps its pool's VM name but registers by this one.
 */
export const runnerNameFor = (jobId: string): string => `instaclone-${jobId}`;
/** Runner name (and VM name) of the clone made for one GitHub job. */
export const runnerName = (workflowJobId: number): string => runnerNameFor(runnerJobId(workflowJobId));

/** The job id behind a runner name of ours (check that job is a runner clone), or undefined for any other name. */
export const jobIdFromRunnerName = (name: string | null | undefined): string | undefined =>
  name?.match(/^instaclone-([a-z0-9-]{8,64})$/)?.[1];

/** One verified GitHub webhook delivery, as the hooks route hands it over. */
export type GithubDelivery = { event: string; deliveryId: string; payload: unknown };

/** What a delivery did: the 200 body GitHub records for it. */
export type GithubWebhookOutcome =
  | { outcome: 'pong' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate'; jobId?: string }
  | { outcome: 'submitted'; jobId: string; pool: string }
  | { outcome: 'claimed'; jobId: string; pool: string; warmPool: string }
  | { outcome: 'destroy-requested'; jobId: string };
