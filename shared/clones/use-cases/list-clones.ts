import { ValidationError } from '../../errors/app-error.js';
import { type CloneJob, JOB_STATUSES, type JobStatus } from '../model/clone-job.js';
import type { JobRepository } from '../ports/job-repository.js';

export type ListClonesQuery = {
  status?: JobStatus;
  label?: { key: string; value: string };
  cursor?: string;
  limit: number;
};
export type ListClonesPage = { jobs: CloneJob[]; cursor?: string };

type Position = { s: number; c?: string };

const encode = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');
const decode = (cursor: string): Position => {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Position;
    if (Number.isInteger(p.s) && p.s >= 0 && p.s < JOB_STATUSES.length) return p;
  } catch {
    // fall through
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
};

/**
 * `GET /v1/clones`: jobs of one status (or of every status, one after the other), oldest first, optionally only
 * those with a label. Pages may hold fewer than `limit` jobs when a label filters some out; follow `cursor` until
 * it is absent. Rejects with ValidationError on a foreign cursor.
 */
export const makeListClones =
  ({ jobs }: { jobs: JobRepository }) =>
  async (query: ListClonesQuery): Promise<ListClonesPage> => {
    const statuses = query.status ? [query.status] : [...JOB_STATUSES];
    let position: Position | undefined = query.cursor ? decode(query.cursor) : { s: 0 };
    const found: CloneJob[] = [];
    while (position && found.length < query.limit) {
      const status = statuses[position.s];
      if (!status) break;
      const page = await jobs.listByStatus(status, {
        limit: query.limit - found.length,
        ...(position.c !== undefined && { cursor: position.c }),
      });
      const { label } = query;
      found.push(...page.jobs.filter((j) => !label || j.request.labels?.[label.key] === label.value));
      position = page.cursor
        ? { s: position.s, c: page.cursor }
        : position.s + 1 < statuses.length
          ? { s: position.s + 1 }
          : undefined;
    }
    return { jobs: found, ...(position && { cursor: encode(position) }) };
  };
