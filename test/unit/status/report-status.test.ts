import { describe, expect, it } from 'vitest';
import { AccessDeniedError } from '#shared/access/model/access-errors';
import { tokenPrincipal } from '#shared/access/model/principal';
import type { JobStatus } from '#shared/clones/model/clone-job';
import type { JobCensus, QueueDepths, VcenterProbe } from '#shared/status/ports/status-probes';
import { makeReportStatus, type ReportStatusDeps } from '#shared/status/use-cases/report-status';

const NOW = new Date('2026-12-04T12:00:00.000Z');
const empty = { visible: 0, inFlight: 0, delayed: 0 };
const counts = (some: Partial<Record<JobStatus, number>>): Record<JobStatus, number> => ({
  QUEUED: 0,
  RUNNING: 0,
  SUCCEEDED: 0,
  FAILED: 0,
  DESTROYING: 0,
  DESTROYED: 0,
  ...some,
});

const deps = (over: Partial<ReportStatusDeps> = {}): ReportStatusDeps => {
  const queues: QueueDepths = { depths: async () => ({ queue: { ...empty, visible: 3 }, deadLetterQueue: empty }) };
  const census: JobCensus = {
    countByStatus: async () => counts({ QUEUED: 1, RUNNING: 2 }),
    oldestIn: async () => [
      { jobId: 'job-running', status: 'RUNNING', createdAt: '2026-12-04T11:50:00.000Z' },
      { jobId: 'job-queued', status: 'QUEUED', createdAt: '2026-12-04T11:55:00.000Z' },
    ],
  };
  const vcenter: VcenterProbe = { check: async () => ({ apiVersion: '8.0.3.0', apiType: 'VirtualCenter' }) };
  return {
    vcenter,
    queues,
    census,
    clock: { now: () => NOW, sleep: async () => {} },
    access: { authorize: () => {} },
    ...over,
  };
};

describe('Use case: reportStatus', () => {
  it('names the oldest unfinished job, whatever its status, with its age in seconds', async () => {
    // Act
    const report = await makeReportStatus(deps())(tokenPrincipal('ops'), { signal: new AbortController().signal });
    // Assess
    expect(report).toMatchObject({
      version: '1',
      at: NOW.toISOString(),
      vcenter: { status: 'ok', apiVersion: '8.0.3.0' },
      queue: { visible: 3 },
      jobs: { byStatus: { QUEUED: 1, RUNNING: 2 } },
    });
    expect(report.jobs.oldestUnfinished).toEqual({
      jobId: 'job-running',
      status: 'RUNNING',
      createdAt: '2026-12-04T11:50:00.000Z',
      ageSeconds: 600,
    });
  });

  it('reports a vCenter that has not answered when the signal aborts as an error, and still answers', async () => {
    // Prepare: a probe that only ends when its signal aborts
    const vcenter: VcenterProbe = {
      check: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const aborting = new AbortController();
    // Act
    const pending = makeReportStatus(deps({ vcenter }))(tokenPrincipal('ops'), { signal: aborting.signal });
    aborting.abort(new Error('vCenter did not answer within 10 s'));
    const report = await pending;
    // Assess
    expect(report.vcenter).toMatchObject({
      status: 'error',
      error: { code: 'VCENTER_UNAVAILABLE', message: 'vCenter did not answer within 10 s' },
    });
  });

  it('refuses a caller the policy does not make an admin before reading anything', async () => {
    // Prepare
    let read = false;
    const census: JobCensus = {
      countByStatus: async () => {
        read = true;
        return counts({});
      },
      oldestIn: async () => [],
    };
    const access = {
      authorize: () => {
        throw new AccessDeniedError(null, 'action', 'no rule grants admin');
      },
    };
    // Act
    const report = makeReportStatus(deps({ census, access }))(tokenPrincipal('ci'), {
      signal: new AbortController().signal,
    });
    // Assess
    await expect(report).rejects.toBeInstanceOf(AccessDeniedError);
    expect(read).toBe(false);
  });
});
