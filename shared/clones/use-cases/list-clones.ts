import { createHash } from 'node:crypto';
import type { Principal } from '../../access/model/principal.js';
import { InvalidCursorError } from '../../errors/app-error.js';
import { type CloneJob, JOB_STATUSES, type JobStatus } from '../model/clone-job.js';
import { jsonBytes } from '../model/request-limits.js';
import type { CloneAccess } from '../ports/clone-access.js';
import type { JobRepository, ListPosition } from '../ports/job-repository.js';

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
  /** `oldest` (default): status by status, oldest first. `newest`: every status asked for, merged, newest first. */
  order?: 'oldest' | 'newest';
};
export type ListClonesPage = { jobs: CloneJob[]; cursor?: string };

/**
 * A page stops growing once it holds this many bytes of jobs (checked between reads, each at most DynamoDB's 1 MB),
 * so an answer stays well inside Lambda's 6 MB whatever `limit` and the label filter make it read.
 */
export const LIST_PAGE_BYTES = 3 * 1024 * 1024;

/**
 * Where a listing goes on: the filter it was made for (a fingerprint) and, oldest first, a status of that filter and
 * a position in it; newest first, the last job shown (`b`).
 */
type Position = { f: string; s: number; c?: string };
type NewestPosition = { f: string; b: ListPosition };

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

const encode = (p: Position | NewestPosition): string => Buffer.from(JSON.stringify(p)).toString('base64url');
const parse = (cursor: string): Record<string, unknown> | undefined => {
  try {
    const p: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return p !== null && typeof p === 'object' ? (p as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};
const OTHER_FILTER =
  'was made for another filter: repeat the status and label parameters it was made with, or start without a cursor';

/** Reads a newest-first cursor; throws InvalidCursorError for one this API did not issue for this filter and order. */
const decodeNewest = (cursor: string, fingerprint: string): NewestPosition => {
  const p = parse(cursor);
  const b = p?.b as Record<string, unknown> | undefined;
  if (typeof p?.f !== 'string' || typeof b?.createdAt !== 'string' || typeof b.jobId !== 'string')
    throw new InvalidCursorError('is not a cursor this API issued for order=newest');
  if (p.f !== fingerprint) throw new InvalidCursorError(OTHER_FILTER);
  return { f: p.f, b: { createdAt: b.createdAt, jobId: b.jobId } };
};

/** Reads a cursor; throws InvalidCursorError for one this API did not issue, or issued for another filter. */
const decode = (cursor: string, fingerprint: string, statusCount: number): Position => {
  const p = parse(cursor) as Partial<Position> | undefined;
  const wellFormed =
    p !== null &&
    typeof p === 'object' &&
    typeof p.f === 'string' &&
    Number.isInteger(p.s) &&
    (p.c === undefined || typeof p.c === 'string');
  if (!wellFormed) throw new InvalidCursorError('is not a cursor this API issued');
  if (p?.f !== fingerprint) throw new InvalidCursorError(OTHER_FILTER);
  if ((p.s ?? -1) < 0 || (p.s ?? 0) >= statusCount) throw new InvalidCursorError('is not a cursor this API issued');
  return p as Position;
};

const hasLabels = (job: CloneJob, labels: readonly LabelFilter[]): boolean =>
  labels.every(({ key, value }) => Object.hasOwn(job.request.labels ?? {}, key) && job.request.labels?.[key] === value);

/**
 * Statuses are read one after the other, so a job that moves on between two reads (QUEUED, then SUCCEEDED) is read
 * twice: it is listed once, as it was read last (the higher version), where that read put it.
 */
const onceEach = (jobs: readonly CloneJob[]): CloneJob[] => {
  const latest = new Map<string, CloneJob>();
  for (const job of jobs) {
    const seen = latest.get(job.jobId);
    if (!seen || job.version >= seen.version) latest.set(job.jobId, job);
  }
  return jobs.filter((job) => latest.get(job.jobId) === job);
};

const byNewest = (a: CloneJob, b: CloneJob) => `${b.createdAt}#${b.jobId}`.localeCompare(`${a.createdAt}#${a.jobId}`);

/**
 * Newest first: the newest `limit` jobs of each status (one bounded query each, before the cursor's job), merged;
 * the page is cut at `limit` jobs or {@link LIST_PAGE_BYTES} before the filter (`shows`), so the next page starts right
 * after the last job shown.
 */
const listNewest = async (
  jobs: JobRepository,
  query: ListClonesQuery,
  statuses: readonly JobStatus[],
  shows: (job: CloneJob) => boolean,
  f: string,
): Promise<ListClonesPage> => {
  const before = query.cursor ? decodeNewest(query.cursor, f).b : undefined;
  const pages = await Promise.all(
    statuses.map((status) =>
      jobs.listByStatus(status, { limit: query.limit, newestFirst: true, ...(before && { before }) }),
    ),
  );
  const merged = onceEach(pages.flatMap((page) => page.jobs)).sort(byNewest);
  const shown: CloneJob[] = [];
  let bytes = 0;
  for (const job of merged) {
    if (shown.length >= query.limit || bytes >= LIST_PAGE_BYTES) break;
    shown.push(job);
    bytes += jsonBytes(job);
  }
  const more = merged.length > shown.length || pages.some((page) => page.cursor !== undefined);
  const last = shown.at(-1);
  const cursor = more && last ? encode({ f, b: { createdAt: last.createdAt, jobId: last.jobId } }) : undefined;
  return { jobs: shown.filter(shows), ...(cursor && { cursor }) };
};

/**
 * `GET /v1/clones`: jobs of the given statuses (or of every status), only those with every label asked for, of the
 * requester asked for, and that `principal` may read. Oldest first goes one status after the other; newest first
 * merges them (see listNewest). Pages may hold fewer than `limit` jobs when filters leave some out, or when a page
 * reached {@link LIST_PAGE_BYTES}; follow `cursor` until it is absent. A cursor belongs to its filter and order: used
 * with another one it is refused. Rejects with AccessDeniedError (403) when the principal may not list at all,
 * InvalidCursorError, both before reading anything.
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
    const shows = (job: CloneJob) =>
      hasLabels(job, labels) &&
      (requestedBy === undefined || job.requestedBy?.id === requestedBy) &&
      access.mayRead(principal, job);
    if (query.order === 'newest') return listNewest(jobs, query, statuses, shows, f);
    let position: Position | undefined = query.cursor ? decode(query.cursor, f, statuses.length) : { f, s: 0 };
    const found: CloneJob[] = [];
    let bytes = 0;
    while (position && found.length < query.limit && bytes < LIST_PAGE_BYTES) {
      const status = statuses[position.s] as JobStatus;
      const page = await jobs.listByStatus(status, {
        limit: query.limit - found.length,
        ...(position.c !== undefined && { cursor: position.c }),
      });
      const matching = page.jobs.filter(shows);
      found.push(...matching);
      bytes += matching.reduce((sum, job) => sum + jsonBytes(job), 0);
      position = page.cursor
        ? { f, s: position.s, c: page.cursor }
        : position.s + 1 < statuses.length
          ? { f, s: position.s + 1 }
          : undefined;
    }
    return { jobs: onceEach(found), ...(position && { cursor: encode(position) }) };
  };
