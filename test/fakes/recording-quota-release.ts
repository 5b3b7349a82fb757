import type { CloneJob } from '#shared/clones/model/clone-job';
import type { QuotaRelease } from '#shared/clones/ports/quota-release';

/** QuotaRelease that records the job id and status of every settle. */
export class RecordingQuotaRelease implements QuotaRelease {
  readonly settled: Array<{ jobId: string; status: string }> = [];

  async settle(job: CloneJob): Promise<void> {
    this.settled.push({ jobId: job.jobId, status: job.status });
  }
}
