import type { CloneJob } from '../model/clone-job.js';

/**
 * Gives back what a job's grant holds once its stored status says so (a concurrent-job slot when its clone step
 * ended, a live-clone slot when it failed or its clone was destroyed). Idempotent; a job without a quota is a no-op.
 */
export interface QuotaRelease {
  settle(job: CloneJob): Promise<void>;
}
