import { AppError, type FieldIssue } from '../../errors/app-error.js';

/** Errors of the clone feature: AppErrors, so the one exhaustive code policy answers them. */
export type CloneErrorCode = 'MAC_IN_USE' | 'MAC_RANGE_EXHAUSTED';

export abstract class CloneError extends AppError {
  abstract override readonly code: CloneErrorCode;
}

/**
 * A MAC the request asks for is held by another live job of the service (at submit: `409`), or vCenter's inventory
 * shows it on another VM (in the worker: the job ends FAILED). `issues` names the NIC's `mac` field.
 */
export class MacInUseError extends CloneError {
  readonly code = 'MAC_IN_USE';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(
    readonly mac: string,
    field: string,
    by: string,
  ) {
    super(`MAC ${mac} is already used by ${by}`);
    this.issues = [{ field, message: `${mac} is already used by ${by}` }];
  }
}

/**
 * A managed range has no free MAC (`409`): all of it, or (in a range larger than an allocation tries) the next
 * `tried` MACs from its cursor, are held by live jobs. `issues` names the NIC's `mac` field.
 */
export class MacRangeExhaustedError extends CloneError {
  readonly code = 'MAC_RANGE_EXHAUSTED';
  readonly retryable = false;
  readonly issues: FieldIssue[];
  constructor(
    readonly range: string,
    field: string,
    size: number,
    tried: number,
  ) {
    const held = tried >= size ? `all ${size} of its MACs` : `the ${tried} MACs tried (of ${size})`;
    const message = `MAC range "${range}" has no free MAC: ${held} are held by live clones; destroy some or widen the range`;
    super(message);
    this.issues = [{ field, message }];
  }
}
