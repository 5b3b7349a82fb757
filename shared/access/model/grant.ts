/**
 * What a job records of the grant that admitted it: the policy rule (or the internal path, e.g. `warm-pool`), and
 * the quota counters it holds (to release them when the job ends or its clone is destroyed).
 */
export type CloneGrant = { rule: string; quotaKey?: string };

/** Bounds an operation id for vCenter's logs: printable ASCII only, at most `max` characters. */
const printable = (text: string, max: number) => text.replace(/[^\x21-\x7e]/g, '_').slice(0, max);

/**
 * vCenter's `operationID` for a job's calls: the job id and who asked (`<jobId>@<principal id>`), so a vCenter admin
 * can trace a VM in vpxd's logs to a person or a pipeline. Jobs without a principal send the job id alone.
 */
export const operationIdOf = (job: { jobId: string; requestedBy?: { id: string } | undefined }): string =>
  job.requestedBy ? printable(`${job.jobId}@${job.requestedBy.id}`, 256) : job.jobId;
