import type { AttemptError, ClonedVm, JobCallback, JobError, JobErrorCause } from './clone-job.js';

/**
 * How long text from outside may be when it is stored on a job (vCenter's fault messages and answers, callback
 * outcomes), in UTF-8 bytes. A longer text is cut and ends with {@link truncationMarker}, so whatever vCenter answers,
 * the job stays within its state budget (`JOB_STATE_LIMITS` in request-limits.ts) and under DynamoDB's item limit.
 */
export const STORED_TEXT_LIMITS = {
  /** Error messages: a vCenter fault's text, a transport error, an exception's message. */
  messageBytes: 1024,
  /** Names: error codes, fault types, VM names. */
  nameBytes: 256,
  /** Identifiers: morefs, MACs, address types, IP addresses. */
  idBytes: 64,
  /** NICs of one VM (vSphere allows 10). */
  nics: 10,
} as const;

/** Ends a cut text: says it was cut and how long it was. */
export const truncationMarker = (length: number): string => `… [truncated: ${length} characters in all]`;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The longest start of `text` of at most `maxBytes` UTF-8 bytes, never ending in half a character. */
const startWithin = (text: string, maxBytes: number): string => {
  const cut = Buffer.from(text.slice(0, maxBytes), 'utf8').subarray(0, maxBytes).toString('utf8');
  // A character cut in two decodes as U+FFFD: drop it.
  return cut.endsWith('\uFFFD') && !text.startsWith(cut) ? cut.slice(0, -1) : cut;
};

/**
 * `text` if it has at most `maxBytes` UTF-8 bytes, else its start and the marker, `maxBytes` bytes at most in all.
 *
 * @example
 * boundText('x'.repeat(1_048_576), 100); // 'xxx…x… [truncated: 1048576 characters in all]' (100 bytes)
 */
export const boundText = (text: string, maxBytes: number): string => {
  if (text.length <= maxBytes / 3 || utf8Bytes(text) <= maxBytes) return text;
  const marker = truncationMarker(text.length);
  return startWithin(text, Math.max(0, maxBytes - utf8Bytes(marker))) + marker;
};

const name = (text: string) => boundText(text, STORED_TEXT_LIMITS.nameBytes);
const id = (text: string) => boundText(text, STORED_TEXT_LIMITS.idBytes);
const message = (text: string) => boundText(text, STORED_TEXT_LIMITS.messageBytes);

const boundCause = <T extends JobErrorCause>(cause: T): T => ({
  ...cause,
  code: name(cause.code),
  ...(cause.fault !== undefined && { fault: name(cause.fault) }),
  message: message(cause.message),
});

/** A job error with every text bounded. */
export const boundJobError = (error: JobError): JobError => ({
  ...boundCause(error),
  ...(error.cause && { cause: boundCause(error.cause) }),
});

/** A cloned VM as vCenter described it, with every text bounded and at most 10 NICs. */
export const boundVm = (vm: ClonedVm): ClonedVm => ({
  moref: id(vm.moref),
  name: name(vm.name),
  nics: vm.nics
    .slice(0, STORED_TEXT_LIMITS.nics)
    .map((n) => ({ key: n.key, mac: id(n.mac), addressType: id(n.addressType) })),
  ...(vm.ipAddress !== undefined && { ipAddress: id(vm.ipAddress) }),
});

/** A callback outcome with its reason bounded (its URL is the request's own, bounded by the request schema). */
export const boundCallback = (callback: JobCallback): JobCallback => ({
  ...callback,
  ...(callback.reason !== undefined && { reason: message(callback.reason) }),
});

/** The fields of a job write that carry text from outside, bounded; other fields are passed through unchanged. */
export const boundJobFields = <
  T extends {
    error?: JobError | undefined;
    lastError?: AttemptError | undefined;
    vm?: ClonedVm | undefined;
    task?: { moref: string } | undefined;
    sourceIp?: string | undefined;
  },
>(
  fields: T,
): T => ({
  ...fields,
  ...(fields.error && { error: boundJobError(fields.error) }),
  ...(fields.lastError && { lastError: boundCause(fields.lastError) }),
  ...(fields.vm && { vm: boundVm(fields.vm) }),
  ...(fields.task && { task: { moref: id(fields.task.moref) } }),
  ...(fields.sourceIp !== undefined && { sourceIp: id(fields.sourceIp) }),
});
