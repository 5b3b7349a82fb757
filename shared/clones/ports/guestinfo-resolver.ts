import type { CloneJob } from '../model/clone-job.js';

/**
 * extraConfig values resolved right before InstantClone_Task (or set late by a `configure` message) and never stored
 * with the job: credentials such as a GitHub JIT runner config. `{}` when the job needs none.
 * Rejects with GuestConfigError (GUEST_CONFIG_FAILED, the provider's own error as its `cause`): retryable → the
 * message is redelivered; not → the job fails (or, when configuring, records the error and is destroyed).
 */
export type GuestinfoResolver = (job: CloneJob, options: { signal?: AbortSignal }) => Promise<Record<string, string>>;
