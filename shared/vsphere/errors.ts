/**
 * Typed errors of the vim25 client. Callers dispatch on `code` (and `classification` / `retryable`), never on
 * `name` or message text: names do not survive minification and vCenter messages are localised.
 */

/** What the worker should do with a vSphere fault (design §6). */
export type FaultClassification = 'retryable' | 'reconcile' | 'terminal';

const RETRYABLE_FAULTS = new Set([
  'NotAuthenticated',
  'TaskInProgress',
  'ResourceInUse',
  'HostCommunication',
  'HostNotConnected',
  'HostNotReachable',
  'RequestCanceled',
  'ConcurrentAccess',
  'InvalidCollectorVersion',
  'NetworkDisruptedAndConfigRolledBack',
  'Timedout',
]);

const RECONCILE_FAULTS = new Set(['DuplicateName', 'FileAlreadyExists', 'AlreadyExists']);

/**
 * Classifies a vSphere fault type (the `xsi:type` of the fault, e.g. `InvalidPowerState`).
 *
 * - `retryable`: the same request may succeed later (session expiry after the one re-login already failed,
 *   `TaskInProgress`, `ResourceInUse`, host communication problems, cancelled requests).
 * - `reconcile`: the object may already exist because an earlier attempt succeeded (`DuplicateName`,
 *   `FileAlreadyExists`); look it up before deciding.
 * - `terminal`: retrying cannot help (`InvalidPowerState`, `InvalidArgument`, `ManagedObjectNotFound`,
 *   `InvalidLogin`, `NoPermission`, `InsufficientResourcesFault`, `SystemError`, and every unknown type).
 *
 * @example
 * classifyFault('DuplicateName'); // 'reconcile'
 */
export function classifyFault(faultType: string): FaultClassification {
  if (RETRYABLE_FAULTS.has(faultType)) return 'retryable';
  if (RECONCILE_FAULTS.has(faultType)) return 'reconcile';
  return 'terminal';
}

/**
 * A vSphere fault: raised synchronously as a SOAP fault, or reported by a task (`TaskInfo.error`).
 * `fields` holds the fault's own properties (e.g. `existingState` of `InvalidPowerState`, `name` of `DuplicateName`),
 * with managed object references as `{ type, value }`.
 */
export class VimFaultError extends Error {
  readonly code = 'VIM_FAULT' as const;
  readonly faultType: string;
  readonly fields: Record<string, unknown>;
  readonly classification: FaultClassification;
  readonly retryable: boolean;

  constructor(faultType: string, message: string, fields: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message || faultType, options);
    this.name = 'VimFaultError';
    this.faultType = faultType;
    this.fields = fields;
    this.classification = classifyFault(faultType);
    this.retryable = this.classification === 'retryable';
  }
}

/**
 * Why a round trip failed below the SOAP layer.
 * - `network`: connection refused/reset, DNS, socket closed before an answer (retryable)
 * - `timeout`: no answer within the request timeout (retryable)
 * - `aborted`: the caller's AbortSignal fired (retryable: the work was not refused, only interrupted)
 * - `tls`: the certificate could not be verified (terminal: fix the CA or the URL)
 * - `http-status`: a non-SOAP HTTP status such as 401, 404 or 503 (retryable for 408, 429 and 5xx)
 * - `bad-response`: not a SOAP answer (HTML page, wrong content type, truncated or malformed XML)
 */
export type VimTransportErrorKind = 'network' | 'timeout' | 'aborted' | 'tls' | 'http-status' | 'bad-response';

/** A round trip that produced no usable SOAP answer. Never carries a vSphere fault. */
export class VimTransportError extends Error {
  readonly code = 'VIM_TRANSPORT' as const;
  readonly kind: VimTransportErrorKind;
  readonly retryable: boolean;
  readonly status?: number;

  constructor(
    kind: VimTransportErrorKind,
    message: string,
    details: { retryable: boolean; status?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'VimTransportError';
    this.kind = kind;
    this.retryable = details.retryable;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Any error this client throws on purpose. */
export type VimError = VimFaultError | VimTransportError;

/** True for errors raised by this client (as opposed to programming errors). */
export function isVimError(err: unknown): err is VimError {
  return err instanceof VimFaultError || err instanceof VimTransportError;
}

/** True when `err` is a vSphere fault of the given type. */
export function isFault(err: unknown, faultType: string): err is VimFaultError {
  return err instanceof VimFaultError && err.faultType === faultType;
}
