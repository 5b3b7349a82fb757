import { createHash } from 'node:crypto';
import type { Principal } from '../../access/model/principal.js';
import { InvalidCursorError } from '../../errors/app-error.js';
import { type CloneJob, JOB_STATUSES, type JobStatus } from '../model/clone-job.js';
import { jsonBytes } from '../model/request-limits.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { JobRepository } from '../ports/job-repository.js';

export type LabelFilter = { key: string; value: string };
export type ListClonesQuery = {
  /** Any of these statuses (none: every status); listed one status after the other, in the order of JOB_STATUSES. */
  statuses?: readonly JobStatus[];
  /** All of these labels (AND). */
  labels?: readonly LabelFilter[];
  /** Only jobs of this principal (its `requestedBy.id`). */
  requestedBy?: string;
  cursor?: string;
  limit: number;
};
export type ListClonesPage = { jobs: CloneJob[]; cursor?: string };

/**
 * A page stops growing once it holds this many bytes of jobs (checked between reads, each at most DynamoDB's 1 MB),
 * so an answer stays well inside Lambda's 6 MB whatever `limit` and the label filter make it read.
 */
export const LIST_PAGE_BYTES = 3 * 1024 * 1024;

/** Where a listing goes on: the filter it was made for (a fingerprint), a status of that filter, a position in it. */
type Position = { f: string; s: number; c?: string };

/** The filter as a short fingerprint: statuses in their fixed order, labels sorted, so equal filters match. */
const fingerprintOf = (
  statuses: readonly JobStatus[],
  labels: readonly LabelFilter[],
  requestedBy: string | undefined,
): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        statuses,
        [...labels].map((l) => [l.key, l.value]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
        ...(requestedBy === undefined ? [] : [requestedBy]),
      ]),
    )
    .digest('base64url')
    .slice(0, 16);

const encode = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');

/** Reads a cursor; throws InvalidCursorError for one this API did not issue, or issued for another filter. */
const decode = (cursor: string, fingerprint: string, statusCount: number): Position => {
  let p: Partial<Position> | undefined;
  try {
    p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Position>;
  } catch {
    p = undefined;
  }
  const wellFormed =
    p !== null &&
    typeof p === 'object' &&
    typeof p.f === 'string' &&
    Number.isInteger(p.s) &&
    (p.c === undefined || typeof p.c === 'string');
  if (!wellFormed) throw new InvalidCursorError('is not a cursor this API issued');
  if (p?.f !== fingerprint) {
    throw new InvalidCursorError(
      'was made for another filter: repeat the status and label parameters it was made with, or start without a cursor',
    );
  }
  if ((p.s ?? -1) < 0 || (p.s ?? 0) >= statusCount) throw new InvalidCursorError('is not a cursor this API issued');
  return p as Position;
};

const hasLabels = (job: CloneJob, labels: readonly LabelFilter[]): boolean =>
  labels.every(({ key, value }) => Object.hasOwn(job.request.labels ?? {}, key) && job.request.labels?.[key] === value);

/**
 * `GET /v1/clones`: jobs of the given statuses (or of every status, one after the other), oldest first, only those
 * with every label asked for, of the requester asked for, and that `principal` may read. Pages may hold fewer than
 * `limit` jobs when filters leave some out, or when a page reached {@link LIST_PAGE_BYTES}; follow `cursor` until it
 * is absent. A cursor belongs to its filter: used with another one it is refused. Rejects with AccessDeniedError
 * (403) when the principal may not list at all, InvalidCursorError, both before reading anything.
 */
export const makeListClones =
  ({ jobs, access }: { jobs: JobRepository; access: Pick<CloneAccess, 'authorize' | 'mayRead'> }) =>
  async (query: ListClonesQuery, principal: Principal): Promise<ListClonesPage> => {
    access.authorize(principal, 'list', undefined);
    const { requestedBy } = query;
    const wanted = new Set(query.statuses?.length ? query.statuses : JOB_STATUSES);
    const statuses = JOB_STATUSES.filter((s) => wanted.has(s));
    const labels = query.labels ?? [];
    const f = fingerprintOf(statuses, labels, requestedBy);
    let position: Position | undefined = query.cursor ? decode(query.cursor, f, statuses.length) : { f, s: 0 };
    const found: CloneJob[] = [];
    let bytes = 0;
    while (position && found.length < query.limit && bytes < LIST_PAGE_BYTES) {
      const status = statuses[position.s] as JobStatus;
      const page = await jobs.listByStatus(status, {
        limit: query.limit - found.length,
        ...(position.c !== undefined && { cursor: position.c }),
      });
      const matching = page.jobs.filter(
        (job) =>
          hasLabels(job, labels) &&
          (requestedBy === undefined || job.requestedBy?.id === requestedBy) &&
          access.mayRead(principal, job),
      );
      found.push(...matching);
      bytes += matching.reduce((sum, job) => sum + jsonBytes(job), 0);
      position = page.cursor
        ? { f, s: position.s, c: page.cursor }
        : position.s + 1 < statuses.length
          ? { f, s: position.s + 1 }
          : undefined;
    }
    return { jobs: found, ...(position && { cursor: encode(position) }) };
  };
