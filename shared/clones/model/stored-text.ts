import type { AttemptError, ClonedVm, JobCallback, JobError, JobErrorCause } from './clone-job.js';

/**
 * How long text from outside is when it is stored on a job (vCenter's fault messages and answers, callback outcomes),
 * in characters. A longer text is cut and ends with {@link truncationMarker}, so no write can outgrow DynamoDB's
 * 400 KB item: the worker's fields add at most about 30 KB to the request.
 */
export const STORED_TEXT_LIMITS = {
  /** Error messages (a vCenter fault's text, a transport error). */
  message: 2_048,
  /** Names and identifiers: fault types, error codes, VM names, morefs, MACs, addresses, URLs. */
  name: 256,
  /** NICs of one VM (vSphere allows 10). */
  nics: 16,
} as const;

/** Ends a cut text: says it was cut and how long it was. */
export const truncationMarker = (length: number): string => `… [truncated: ${length} characters in all]`;

/**
 * `text` if it has at most `max` characters, else its start and the marker, `max` characters in all. Never splits a
 * surrogate pair.
 *
 * @example
 * boundText('x'.repeat(1_048_576), 100); // 'xxx…x… [truncated: 1048576 characters in all]' (100 characters)
 */
export const boundText = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const marker = truncationMarker(text.length);
  let end = Math.max(0, max - marker.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + marker;
};

const name = (text: string) => boundText(text, STORED_TEXT_LIMITS.name);
const message = (text: string) => boundText(text, STORED_TEXT_LIMITS.message);

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

/** An attempt's error with every text bounded. */
export const boundAttemptError = (error: AttemptError): AttemptError => boundCause(error);

/** A cloned VM as vCenter described it, with every text bounded and at most 16 NICs. */
export const boundVm = (vm: ClonedVm): ClonedVm => ({
  moref: name(vm.moref),
  name: name(vm.name),
  nics: vm.nics
    .slice(0, STORED_TEXT_LIMITS.nics)
    .map((n) => ({ key: n.key, mac: name(n.mac), addressType: name(n.addressType) })),
  ...(vm.ipAddress !== undefined && { ipAddress: name(vm.ipAddress) }),
});

/** A callback outcome with its URL and reason bounded. */
export const boundCallback = (callback: JobCallback): JobCallback => ({
  ...callback,
  url: boundText(callback.url, STORED_TEXT_LIMITS.message),
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
  ...(fields.lastError && { lastError: boundAttemptError(fields.lastError) }),
  ...(fields.vm && { vm: boundVm(fields.vm) }),
  ...(fields.task && { task: { moref: name(fields.task.moref) } }),
  ...(fields.sourceIp !== undefined && { sourceIp: name(fields.sourceIp) }),
});
