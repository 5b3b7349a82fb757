import { describe, expect, it } from 'vitest';
import { tokenPrincipal } from '#shared/access/model/principal';
import { JobViewSchema } from '#shared/clones/api/job-view-schema';
import { CALLBACK_EVENTS, type CloneJob, JOB_STATUSES, toJobView } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { SERVICE_MANIFEST } from '#shared/composition/service-manifest';
import { openApiDocument } from '#shared/http/openapi';
import { PoolViewSchema } from '#shared/pools/api/openapi-pool-paths';
import { type Pool, PoolSpecSchema } from '#shared/pools/model/pool';
import { toPoolView } from '#shared/pools/model/pool-view';
import { RUNNER_LABELS } from '#shared/runners/model/github-webhook';
import { StatsViewSchema } from '#shared/stats/api/stats-view-schema';
import { computeJobStats } from '#shared/stats/model/job-stats';

type CallbacksSchema = { propertyNames?: { enum: string[] }; additionalProperties?: { required: string[] } };
type JobSchema = { properties: Record<string, unknown> & { callbacks: CallbacksSchema; status: { enum: string[] } } };

const at = '2026-11-25T12:00:00.000Z';
const callback = { state: 'delivered', url: 'https://ci.example/cb', attempts: 1, status: 200, at, deliveryId: 'd:1' };
/** A job with every field the API can show. */
const everyField: CloneJob = {
  jobId: 'job-0001-aaaa',
  status: 'SUCCEEDED',
  version: 7,
  request: CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' }, labels: { team: 'ci' } }),
  requestedBy: tokenPrincipal('alice'),
  grant: { rule: 'ci', quotaKey: 'rule#ci#token:alice' },
  vmName: 'instaclone-job-0001-aaaa',
  task: { moref: 'task-1' },
  macs: [{ key: 4000, mac: '00:50:56:10:00:00', range: 'ci' }],
  vm: { moref: 'vm-1', name: 'instaclone-job-0001-aaaa', nics: [], ipAddress: '10.0.0.7' },
  error: {
    code: 'DEADLINE_EXCEEDED',
    message: 'late',
    retryable: false,
    cause: { code: 'VCENTER_FAULT', fault: 'TaskInProgress', message: 'busy' },
  },
  deadlineAt: at,
  attempts: 2,
  lastError: { code: 'VCENTER_FAULT', fault: 'TaskInProgress', message: 'busy', at },
  nextAttemptAt: at,
  cleanupPending: true,
  announced: 'SUCCEEDED',
  sourceIp: '10.0.0.5',
  leaseExpiresAt: at,
  createdAt: at,
  updatedAt: at,
  attempt: { until: at },
  destroyRequested: true,
  readyAt: at,
  configuredAt: at,
  queuedAt: at,
  startedAt: at,
  taskStartedAt: at,
  taskEndedAt: at,
  claimedAt: at,
  destroyedAt: at,
  callbacks: { succeeded: { ...callback, state: 'delivered' } },
};

describe('HTTP: the OpenAPI document', () => {
  it('documents every field of the job view, and no field the view lacks', () => {
    // Act
    const view = toJobView(everyField);
    const parsed = JobViewSchema.safeParse(view);
    // Assess
    expect(parsed.success).toBe(true);
    expect(Object.keys(view).sort()).toEqual(Object.keys(JobViewSchema.shape).sort());
  });

  it('documents every job status and the callback outcomes keyed by event', () => {
    // Act
    const schema = openApiDocument().components.schemas.CloneJob as unknown as JobSchema;
    // Assess
    expect(schema.properties.status.enum).toEqual([...JOB_STATUSES]);
    expect(schema.properties.callbacks.propertyNames?.enum).toEqual([...CALLBACK_EVENTS]);
    expect(schema.properties.callbacks.additionalProperties?.required).toEqual([
      'state',
      'url',
      'attempts',
      'at',
      'deliveryId',
    ]);
  });

  it('documents every field of the pool view, and no field the view lacks', () => {
    // Prepare: a degraded pool with live counts.
    const pool: Pool = {
      name: 'ci',
      spec: PoolSpecSchema.parse({ source: { path: '/DC0/vm/golden' } }),
      version: 3,
      createdAt: at,
      updatedAt: at,
      epoch: 2,
      outstanding: [],
      failureStreak: 3,
      sourceCursor: 0,
      backoffUntil: at,
      degradedSince: at,
      degradedReason: 'InvalidPowerState',
      lastScaledAt: at,
    };
    // Act
    const view = toPoolView(pool, { ready: [], inFlight: [], claimed: [], serviceInFlight: 0 });
    // Assess
    expect(PoolViewSchema.safeParse(view).success).toBe(true);
    expect(Object.keys(view.status).sort()).toEqual(Object.keys(PoolViewSchema.shape.status.shape).sort());
    expect(Object.keys(view).sort()).toEqual(Object.keys(PoolViewSchema.shape).sort());
  });

  it('documents every field of the statistics, and no field they lack', () => {
    // Prepare: a ready runner clone from a pool, with every timestamp, so every optional figure is present.
    const labels = { 'instaclone.pool': 'ci', [RUNNER_LABELS.pool]: 'linux' };
    const job: CloneJob = {
      ...everyField,
      status: 'SUCCEEDED',
      request: { ...everyField.request, labels },
      createdAt: '2026-11-25T11:59:00.000Z',
      readyAt: '2026-11-25T11:59:01.000Z',
    };
    const window = { from: new Date('2026-11-25T11:00:00Z'), to: new Date(at), bucketMs: 60_000 };
    // Act
    const stats = computeJobStats([job], window);
    const parsed = StatsViewSchema.safeParse(stats);
    // Assess
    expect(parsed.success).toBe(true);
    const withFigures = stats.series.find((bucket) => bucket.succeededP50Ms !== undefined);
    expect(Object.keys(withFigures ?? {}).sort()).toEqual(
      Object.keys(StatsViewSchema.shape.series.element.shape).sort(),
    );
    expect(Object.keys(stats.totals.acceptToSucceeded).sort()).toEqual(['count', 'maxMs', 'p50Ms', 'p95Ms']);
    expect(Object.keys(stats).sort()).toEqual(Object.keys(StatsViewSchema.shape).sort());
  });

  it('documents exactly the routes of the service manifest that the gateway lets in (all but the signed webhooks)', () => {
    // Prepare
    const gatewayRoutes = SERVICE_MANIFEST.routes.filter((route) => route.auth !== 'signed').map((r) => r.routeKey);
    // Act
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Assess
    expect(documented.sort()).toEqual(gatewayRoutes.sort());
  });
});
