import { type FieldIssue, PayloadTooLargeError } from '../../errors/app-error.js';
import type { CloneRequest } from './clone-request.js';

/**
 * The size budget of a clone request and of the job it becomes, in one place. The rule it keeps: a job item, with
 * the largest request allowed and its largest state (VM, error, every callback outcome), fits DynamoDB's 400 KB item
 * limit with room to spare, and an answer listing `count` jobs fits Lambda's 6 MB response limit.
 *
 * Per-field limits (entries, lengths) live in the schema (`clone-request.ts`); these are the totals. Bytes are UTF-8
 * bytes of the JSON as stored (`JSON.stringify`), so they match what DynamoDB and the answer carry.
 */
export const REQUEST_LIMITS = {
  /** `guestinfo` and `extraConfig` together, keys and values. */
  configBytes: 192 * 1024,
  /** The whole request, as stored on each of its jobs. */
  requestBytes: 256 * 1024,
  /** The 202 answer of a request: `count` job views (a retry with the same Idempotency-Key rebuilds the same). */
  answerBytes: 5 * 1024 * 1024,
} as const;

/**
 * What the service itself adds to a job, bounded so the largest job still fits. The repositories cut every text from
 * outside to its STORED_TEXT_LIMITS (stored-text.ts) before writing, which keeps these.
 */
export const JOB_STATE_LIMITS = {
  /** `error` (its message, fault type and cause) and `lastError` of a job: 3 messages and 6 names at most. */
  errorMessageBytes: 6 * 1024,
  /** `callbacks.<event>.reason`. */
  callbackReasonBytes: 1024,
  /**
   * Everything else a job gains after it is queued, or at submit beside its request: ids, times, task, the MACs of
   * up to 10 NICs, the VM with up to 10 NICs and its IP.
   */
  otherStateBytes: 4 * 1024,
} as const;

/** DynamoDB's item limit: 400 KB of attribute names and values. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

/** UTF-8 bytes of a value's JSON. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** The fields whose own size may not exceed these, largest first; the rest are small by schema. */
const SIZED_FIELDS = ['guestinfo', 'extraConfig', 'labels', 'nics', 'serialPorts', 'parallelPorts', 'callbackUrl'];

/**
 * Bytes a job of `request` may grow to after it is queued, beyond the request itself: the state above plus one
 * callback outcome per event (each repeats `callbackUrl`).
 */
export const jobStateReserveBytes = (request: Pick<CloneRequest, 'callbackUrl'>): number => {
  const perCallback = request.callbackUrl
    ? jsonBytes(request.callbackUrl) + JOB_STATE_LIMITS.callbackReasonBytes + 256
    : 0;
  return JOB_STATE_LIMITS.otherStateBytes + JOB_STATE_LIMITS.errorMessageBytes + 4 * perCallback;
};

/** Bytes of one job as the API shows it, at its largest: the request, its labels once more, and its state. */
export const jobViewBytes = (request: CloneRequest): number =>
  jsonBytes(request) + jsonBytes(request.labels ?? {}) + jobStateReserveBytes(request);

const largestField = (request: CloneRequest): string =>
  SIZED_FIELDS.map((field) => ({ field, bytes: jsonBytes(request[field as keyof CloneRequest] ?? '') })).reduce(
    (a, b) => (b.bytes > a.bytes ? b : a),
  ).field;

/**
 * The size problems of a request, each naming the field to shrink; empty when it keeps the budget.
 * 1. guestinfo + extraConfig over `configBytes` → the larger of the two;
 * 2. the stored request over `requestBytes` → its largest field (unless 1. named it already);
 * 3. `count` job views over `answerBytes` → `count` (the message says how large one request may be at that count).
 */
export const requestSizeIssues = (request: CloneRequest): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const guestinfo = jsonBytes(request.guestinfo ?? {});
  const extraConfig = jsonBytes(request.extraConfig ?? {});
  if (guestinfo + extraConfig > REQUEST_LIMITS.configBytes) {
    issues.push({
      field: guestinfo >= extraConfig ? 'guestinfo' : 'extraConfig',
      message: `guestinfo and extraConfig take ${guestinfo + extraConfig} bytes together; at most ${REQUEST_LIMITS.configBytes}`,
    });
  }
  const stored = jsonBytes(request);
  if (issues.length === 0 && stored > REQUEST_LIMITS.requestBytes) {
    issues.push({
      field: largestField(request),
      message: `the request takes ${stored} bytes; at most ${REQUEST_LIMITS.requestBytes} (this is its largest field)`,
    });
  }
  const perJob = jobViewBytes(request);
  if (request.count * perJob > REQUEST_LIMITS.answerBytes) {
    issues.push({
      field: 'count',
      message: `${request.count} jobs of ${perJob} bytes each exceed the ${REQUEST_LIMITS.answerBytes}-byte answer; at this size at most ${Math.floor(REQUEST_LIMITS.answerBytes / perJob)} per request`,
    });
  }
  return issues;
};

/** Throws PayloadTooLargeError (413) naming each field over the budget; see {@link requestSizeIssues}. */
export const assertRequestFits = (request: CloneRequest): void => {
  const issues = requestSizeIssues(request);
  if (issues.length > 0) throw new PayloadTooLargeError(issues);
};
