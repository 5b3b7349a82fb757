import { describe, expect, it } from 'vitest';
import { PolicySchema } from '#shared/access/model/policy';
import { tokenPrincipal } from '#shared/access/model/principal';
import { internalAccess, makeAccessGuard } from '#shared/access/use-cases/access-guard';
import { parseListQuery } from '#shared/clones/api/list-query';
import type { CloneJob, JobStatus } from '#shared/clones/model/clone-job';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeListClones } from '#shared/clones/use-cases/list-clones';
import { InvalidCursorError } from '#shared/errors/app-error';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';
import { InMemoryQuotaLedger } from '#test/fakes/in-memory-quota-ledger';

const alice = tokenPrincipal('alice');
const bob = tokenPrincipal('bob');
/** Everyone listed may list and read their own jobs only. */
const ownJobsOnly = PolicySchema.parse({
  version: '1',
  rules: [{ id: 'own', principals: [{ id: 'token:*' }], actions: ['list', 'read'] }],
});

const setup = async (access: Parameters<typeof makeListClones>[0]['access'] = internalAccess('test')) => {
  const jobs = new InMemoryJobRepository();
  const statuses: JobStatus[] = ['SUCCEEDED', 'QUEUED', 'FAILED', 'RUNNING', 'DESTROYED', 'SUCCEEDED', 'QUEUED'];
  for (const [i, status] of statuses.entries()) {
    const createdAt = `2026-11-25T12:0${i}:00.000Z`;
    const labels = { team: i % 2 === 0 ? 'ci' : 'qa' };
    const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' }, labels });
    const job: CloneJob = {
      jobId: `job-${i}`,
      status,
      version: 1,
      request,
      vmName: `vm-${i}`,
      createdAt,
      updatedAt: createdAt,
      requestedBy: i % 3 === 0 ? alice : bob,
    };
    await jobs.create(job);
  }
  const list = makeListClones({ jobs, access });
  return (q: Parameters<typeof list>[0], principal = alice) => list(q, principal);
};

const ids = (page: { jobs: CloneJob[] }) => page.jobs.map((job) => job.jobId);
/** A query string as API Gateway hands it over. */
const query = (params: Record<string, string | undefined>) => ({
  rawQueryString: new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString(),
});

describe('Use case: listClones newest first', () => {
  it('merges every status, newest first, and pages on with a cursor', async () => {
    // Prepare
    const list = await setup();
    // Act
    const first = await list(parseListQuery(query({ order: 'newest', limit: '4' })));
    const second = await list(parseListQuery(query({ order: 'newest', limit: '4', cursor: first.cursor })));
    // Assess
    expect(ids(first)).toEqual(['job-6', 'job-5', 'job-4', 'job-3']);
    expect(ids(second)).toEqual(['job-2', 'job-1', 'job-0']);
    expect(second.cursor).toBeUndefined();
  });

  it('filters by status and by label', async () => {
    // Prepare
    const list = await setup();
    // Act
    const queued = await list(parseListQuery(query({ order: 'newest', status: 'QUEUED' })));
    const ci = await list(parseListQuery(query({ order: 'newest', label: 'team=ci' })));
    // Assess
    expect(ids(queued)).toEqual(['job-6', 'job-1']);
    expect(ids(ci)).toEqual(['job-6', 'job-4', 'job-2', 'job-0']);
  });

  it('refuses a cursor of the other order, naming the field', async () => {
    // Prepare
    const list = await setup();
    const oldest = await list(parseListQuery(query({ limit: '2' })));
    // Act
    const attempt = list(parseListQuery(query({ order: 'newest', cursor: oldest.cursor })));
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ field: 'cursor' }] });
  });

  it('shows only the jobs the caller may read, and refuses a caller who may not list', async () => {
    // Prepare
    const access = makeAccessGuard({
      policy: ownJobsOnly,
      ledger: new InMemoryQuotaLedger(),
      recorder: { denied: () => {} },
      clock: fixedClock(),
    });
    const list = await setup(access);
    // Act
    const mine = await list(parseListQuery(query({ order: 'newest' })), alice);
    const stranger = list(parseListQuery(query({ order: 'newest' })), { ...bob, id: 'iam:stranger', kind: 'iam' });
    // Assess
    expect(ids(mine)).toEqual(['job-6', 'job-3', 'job-0']);
    await expect(stranger).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});

describe('Use case: listClones while jobs move on', () => {
  /** A repository whose job-1 (QUEUED) succeeds right after the QUEUED jobs were read, as a worker may. */
  const movingRepository = async () => {
    const jobs = new InMemoryJobRepository();
    const request = CloneRequestSchema.parse({ source: { path: '/DC0/vm/golden' } });
    const at = '2026-11-25T12:00:00.000Z';
    await jobs.create({
      jobId: 'job-1',
      status: 'QUEUED',
      version: 1,
      request,
      vmName: 'vm-1',
      createdAt: at,
      updatedAt: at,
    });
    // The other statuses are read once the move is done, whether the reads run one after the other or together.
    let moved: () => void = () => {};
    const afterMove = new Promise<void>((resolve) => {
      moved = resolve;
    });
    const listByStatus: typeof jobs.listByStatus = async (status, page) => {
      if (status !== 'QUEUED') await afterMove;
      const read = await jobs.listByStatus(status, page);
      if (status === 'QUEUED') {
        await jobs.save({
          jobId: 'job-1',
          createdAt: at,
          expected: { status: 'QUEUED', version: 1 },
          status: 'SUCCEEDED',
          version: 2,
          needsWorker: true,
          updatedAt: at,
          patch: {},
        });
        moved();
      }
      return read;
    };
    return Object.assign(Object.create(jobs) as InMemoryJobRepository, { listByStatus });
  };

  it.each(['oldest', 'newest'] as const)(
    'lists a job that succeeded between two status reads once, as read last (%s first)',
    async (order) => {
      // Prepare
      const list = makeListClones({ jobs: await movingRepository(), access: internalAccess('test') });
      // Act
      const page = await list(parseListQuery(query({ order, limit: '10' })), alice);
      // Assess
      expect(page.jobs.map((job) => [job.jobId, job.status])).toEqual([['job-1', 'SUCCEEDED']]);
    },
  );
});
