import { describe, expect, it } from 'vitest';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { makeSubmitClone } from '#shared/clones/use-cases/submit-clone';
import { fixedClock } from '#test/fakes/fixed-clock';
import { InMemoryJobRepository } from '#test/fakes/in-memory-job-repository';

describe('Use case: submitClone', () => {
  it('stores a QUEUED job before enqueueing its id', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const sent: Array<CloneMessageInput & { stored: boolean }> = [];
    const submit = makeSubmitClone({
      jobs,
      queue: { enqueue: async (m) => void sent.push({ ...m, stored: jobs.items.has(m.jobId) }) },
      clock: fixedClock(),
      ids: { jobId: () => 'job-0001' },
    });
    // Act
    const [job] = await submit(CloneRequestSchema.parse({ source: { moref: 'vm-57' } }));
    // Assess
    expect(job).toMatchObject({ jobId: 'job-0001', status: 'QUEUED', version: 1, vmName: 'instaclone-job-0001' });
    expect(sent).toEqual([{ version: '1', jobId: 'job-0001', stored: true }]);
  });

  it('keeps the job QUEUED when the queue is down, so the reconciler can re-drive it', async () => {
    // Prepare
    const jobs = new InMemoryJobRepository();
    const submit = makeSubmitClone({
      jobs,
      queue: { enqueue: async () => Promise.reject(new Error('queue down')) },
      clock: fixedClock(),
      ids: { jobId: () => 'job-0002' },
    });
    // Act
    const attempt = submit(CloneRequestSchema.parse({ source: { moref: 'vm-57' }, name: 'ci-1' }));
    // Assess
    await expect(attempt).rejects.toThrow('queue down');
    expect(jobs.items.get('job-0002')).toMatchObject({ status: 'QUEUED', vmName: 'ci-1' });
  });
});
