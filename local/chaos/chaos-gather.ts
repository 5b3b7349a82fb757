import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import type { JobStatus } from '#shared/clones/model/clone-job';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-aws.js';
import { type AuditedEvent, type AuditedJob, auditChaos, type ChaosAudit } from './chaos-audit.js';
import type { SimAdmin } from './sim-admin.js';
import type { StackSupervisor } from './stack-supervisor.js';

/** Every event the stack wrote to events.ndjson (all its restarts append to the same file). */
export async function readEvents(eventsFile: string): Promise<AuditedEvent[]> {
  const text = await readFile(eventsFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditedEvent);
}

/** Distinct jobs announced so far: the cheap progress measure. */
export async function countFinished(eventsFile: string): Promise<number> {
  return new Set((await readEvents(eventsFile)).map((e) => String(e.detail.jobId))).size;
}

/**
 * Accepted jobs that are neither announced nor terminal in the table (SUCCEEDED, FAILED, or DESTROYED after a
 * DELETE), and failed jobs whose clone is still to be destroyed (`cleanupPending`: a clean-up vCenter refused, e.g. in
 * the outage, is tried again every minute; the audit would otherwise catch it half-way, FAILED with its VM still in
 * vCenter). Announced jobs (but `deleted` and failed ones) are skipped without a request, so near the end only a
 * handful are asked about; a job that is terminal but never announced counts as finished here (the audit reports its
 * missing event), so the wait does not run out the clock on it.
 */
export async function unfinishedJobs(
  supervisor: StackSupervisor,
  accepted: readonly string[],
  eventsFile: string,
  apiToken: string,
  deleted: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const events = await readEvents(eventsFile);
  const announced = new Set(events.map((e) => String(e.detail.jobId)));
  const failed = events.filter((e) => e['detail-type'] === 'Clone Failed').map((e) => String(e.detail.jobId));
  // A deleted job may be announced SUCCEEDED and still be on its way to DESTROYED: always ask about those.
  const pending = accepted.filter((id) => !announced.has(id) || deleted.has(id));
  const statuses = await Promise.all(
    pending.map((jobId) =>
      supervisor.use(async (ready) => {
        const res = await fetch(`${ready.apiUrl}/v1/clones/${jobId}`, {
          headers: { authorization: `Bearer ${apiToken}` },
        });
        return res.ok ? ((await res.json()) as { status: string }).status : 'UNKNOWN';
      }),
    ),
  );
  const notTerminal = pending.filter((_, i) => !['SUCCEEDED', 'FAILED', 'DESTROYED'].includes(statuses[i] ?? ''));
  return [...notTerminal, ...(await withCleanupPending(supervisor, failed))];
}

/** Those of `jobIds` whose stored row still has a clone to destroy (the API view does not show `cleanupPending`). */
async function withCleanupPending(supervisor: StackSupervisor, jobIds: readonly string[]): Promise<string[]> {
  if (jobIds.length === 0) return [];
  return supervisor.use(async (ready) => {
    const endpoint = ready.dynamoEndpoint;
    const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const repo = new DynamoDbJobRepository(client, ready.tableName);
      const jobs = await Promise.all(jobIds.map((jobId) => repo.get(jobId)));
      return jobIds.filter((_, i) => jobs[i]?.cleanupPending === true);
    } finally {
      client.destroy();
    }
  });
}

/** Reads the three views (the API's jobs, the simulator's VMs, the events file) and audits them. */
export async function auditNow(
  supervisor: StackSupervisor,
  admin: SimAdmin,
  accepted: readonly string[],
  eventsFile: string,
  apiToken: string,
): Promise<ChaosAudit> {
  const jobs = new Map<string, AuditedJob | undefined>();
  for (let start = 0; start < accepted.length; start += 16) {
    await Promise.all(
      accepted.slice(start, start + 16).map(async (jobId) => {
        const res = await supervisor.use((ready) =>
          fetch(`${ready.apiUrl}/v1/clones/${jobId}`, { headers: { authorization: `Bearer ${apiToken}` } }),
        );
        if (res.status === 404) jobs.set(jobId, undefined);
        else if (res.ok) jobs.set(jobId, (await res.json()) as AuditedJob);
        else throw new Error(`GET /v1/clones/${jobId} answered ${res.status}`);
      }),
    );
  }
  const audit = auditChaos(accepted, jobs, await admin.vms(), await readEvents(eventsFile), Date.now());
  await supervisor.use((ready) => explainExamples(audit, ready.dynamoEndpoint, ready.tableName));
  return audit;
}

/** Whether listing the job's status (the query the re-drive runs) returns the job. */
async function inStatusIndex(repo: DynamoDbJobRepository, jobId: string, status: JobStatus): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await repo.listByStatus(status, { limit: 100, ...(cursor && { cursor }) });
    if (page.jobs.some((j) => j.jobId === jobId)) return true;
    cursor = page.cursor;
  } while (cursor);
  return false;
}

/** Fields of the stored job that tell why it was flagged (the API view hides the bookkeeping ones). */
const EVIDENCE = [
  'status',
  'version',
  'task',
  'vm',
  'error',
  'attempts',
  'lastError',
  'nextAttemptAt',
  'cleanupPending',
  'announced',
  'updatedAt',
];

/** Adds the stored job row (straight from the table) to each example, so a report carries its own evidence. */
async function explainExamples(audit: ChaosAudit, endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const repo = new DynamoDbJobRepository(client, tableName);
    for (const examples of Object.values(audit.examples)) {
      for (const example of examples) {
        const job = (await repo.get(example.jobId)) as Record<string, unknown> | undefined;
        if (!job) continue;
        const stored = Object.fromEntries(EVIDENCE.filter((k) => job[k] !== undefined).map((k) => [k, job[k]]));
        // The start-up re-drive finds unfinished jobs through the status index, so a row missing there is never re-driven.
        const indexed = await inStatusIndex(repo, example.jobId, job['status'] as JobStatus);
        example.why = `${example.why}; stored ${JSON.stringify(stored)}; in status index: ${indexed}`;
      }
    }
  } finally {
    client.destroy();
  }
}
