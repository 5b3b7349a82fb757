import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { DynamoDbJobRepository } from '#shared/clones/adapters/dynamodb-job-repository';
import { SqsCloneQueue } from '#shared/clones/adapters/sqs-clone-queue';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { makeReapExpiredLeases } from '#shared/clones/use-cases/reap-expired-leases';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
const source = { path: '/DC0/vm/DC0_C0_RP0_VM0' };

beforeAll(async () => {
  stack = await startTestStack({ simulator: { guestIpDelayMs: 300 } });
  api = apiClient(stack);
});
afterAll(() => stack?.close());

describe('Clone lifecycle: destroy, leases, listing, idempotency, count', () => {
  it('destroys the clone on DELETE, ends DESTROYED and announces Clone Destroyed; a second DELETE is harmless', async () => {
    // Prepare
    const { json } = await api.call('POST', '/v1/clones', { source });
    const job = await api.waitForFinished(String(json.jobId));
    // Act
    const deleted = await api.call('DELETE', `/v1/clones/${job.jobId}`);
    const destroyed = await api.waitFor(job.jobId, (j) => j.status === 'DESTROYED');
    const again = await api.call('DELETE', `/v1/clones/${job.jobId}`);
    // Assess
    expect(deleted).toMatchObject({ status: 202, json: { status: 'DESTROYING' } });
    expect(destroyed.status).toBe('DESTROYED');
    expect(stack.vcsim?.sim.getVm(job.vm?.moref ?? '')).toBeUndefined();
    expect(again).toMatchObject({ status: 202, json: { status: 'DESTROYED' } });
    expect(
      stack.bus.published.filter((e) => e['detail-type'] === 'Clone Destroyed' && e.detail.jobId === job.jobId),
    ).toHaveLength(1);
  });

  it('destroys a clone when its lease expires', async () => {
    // Prepare
    const { json } = await api.call('POST', '/v1/clones', { source, ttlMinutes: 1 });
    const job = await api.waitForFinished(String(json.jobId));
    expect(job.leaseExpiresAt).toBeDefined();
    // Act: the deployed reaper's use case with a clock two minutes ahead, past the lease
    const jobs = new DynamoDbJobRepository(stack.dynamo.client(), stack.dynamo.tableName);
    const later = { now: () => new Date(Date.now() + 2 * 60_000), sleep: async () => {} };
    const queue = new SqsCloneQueue(stack.sqs.client(), stack.sqs.queueUrl);
    const reaped = await makeReapExpiredLeases({
      jobs,
      clock: later,
      requestDestroy: makeRequestDestroy({ jobs, queue, clock: later }),
    })();
    const destroyed = await api.waitFor(job.jobId, (j) => j.status === 'DESTROYED');
    // Assess
    expect(reaped).toContain(job.jobId);
    expect(destroyed.status).toBe('DESTROYED');
  });

  it('lists jobs by status and label, page by page', async () => {
    // Prepare
    const posted = await api.call('POST', '/v1/clones', { source, count: 3, labels: { suite: 'listing' } });
    const ids = (posted.json.jobs as CloneJobView[]).map((j) => j.jobId);
    await Promise.all(ids.map((id) => api.waitForFinished(id)));
    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.call(
        'GET',
        `/v1/clones?status=SUCCEEDED&label=suite=listing&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...(page.json.jobs as CloneJobView[]).map((j) => j.jobId));
      cursor = page.json.cursor as string | undefined;
    } while (cursor);
    // Assess
    expect(posted.status).toBe(202);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('answers 400 naming the parameter for a bad listing query', async () => {
    // Act
    const res = await api.call('GET', '/v1/clones?status=SLEEPING');
    // Assess
    expect(res.status).toBe(400);
    expect((res.json.error as { details: Array<{ field: string }> }).details[0]?.field).toBe('status');
  });

  it('returns the same job for a retried Idempotency-Key and 409 for the same key with another body', async () => {
    // Prepare
    const key = `key-${Date.now()}`;
    // Act
    const first = await api.call('POST', '/v1/clones', { source }, { 'idempotency-key': key });
    const retry = await api.call('POST', '/v1/clones', { source }, { 'idempotency-key': key });
    const other = await api.call('POST', '/v1/clones', { source, name: 'other' }, { 'idempotency-key': key });
    // Assess
    expect(first.status).toBe(202);
    expect(retry).toMatchObject({ status: 202, json: { jobId: first.json.jobId } });
    expect(other).toMatchObject({ status: 409, json: { error: { code: 'IDEMPOTENCY_CONFLICT' } } });
  });

  it('with waitFor ip, succeeds only on a new guest IP, then reconnects the NIC and announces Clone Ready', async () => {
    // Prepare
    const sourceIp = stack.vcsim?.sim.findVmByName('DC0_C0_RP0_VM0')?.guest.ipAddress;
    // Act
    const { json } = await api.call('POST', '/v1/clones', {
      source,
      waitFor: 'ip',
      nics: [{ key: 4000, connected: false }],
    });
    const job = await api.waitForFinished(String(json.jobId), 15_000);
    // Assess
    expect(job).toMatchObject({ status: 'SUCCEEDED', vm: { ipAddress: expect.any(String) } });
    expect(job.vm?.ipAddress).not.toBe(sourceIp);
    expect(stack.vcsim?.sim.getVm(job.vm?.moref ?? '')?.nics[0]?.connected).toBe(true);
    expect(stack.bus.published).toContainEqual(
      expect.objectContaining({ 'detail-type': 'Clone Ready', detail: expect.objectContaining({ jobId: job.jobId }) }),
    );
  });

  it('clones with the whole spec: placement, NIC MAC/network/disconnected, serial port, extraConfig, biosUuid', async () => {
    // Prepare
    const biosUuid = '4217c6f2-8a0e-4b7f-9a3b-2c9d8e7f6a5b';
    const sourcePool = stack.vcsim?.sim.findVmByName('DC0_C0_RP0_VM0')?.pool ?? '';
    const serialFile = '[LocalDS_0] ci-1/serial0.log';
    const body = {
      source,
      folder: '/DC0/vm',
      pool: sourcePool,
      nics: [{ label: 'Network adapter 1', mac: '00:50:56:01:02:03', connected: false, network: 'DC0_DVPG0' }],
      serialPorts: [{ key: 9000, file: serialFile }],
      extraConfig: { 'tools.syncTime': 'TRUE' },
      guestinfo: { hostname: 'ci-1' },
      biosUuid,
    };
    // Act
    const { json } = await api.call('POST', '/v1/clones', body);
    const job = await api.waitForFinished(String(json.jobId));
    // Assess
    expect(job.status).toBe('SUCCEEDED');
    const vm = stack.vcsim?.sim.getVm(job.vm?.moref ?? '');
    expect(vm?.nics[0]).toMatchObject({ macAddress: '00:50:56:01:02:03', connected: false });
    expect(vm?.nics[0]?.network).toMatch(/dvportgroup|DVPG/);
    expect(vm?.pool).toBe(sourcePool);
    const ports = (vm as unknown as { ports?: Array<{ key: number; fileName?: string }> }).ports;
    expect(ports?.find((p) => p.key === 9000)?.fileName).toBe(serialFile);
    expect(vm?.extraConfig).toMatchObject({ 'tools.syncTime': 'TRUE', 'guestinfo.hostname': 'ci-1' });
    expect(vm?.biosUuid).toBe(biosUuid);
  });
});
