import { faults, VimFault } from './soap/faults.js';
import { moref, obj, str } from './soap/vim-value.js';

/** Fault types that injection can raise, by vim25 type name. */
export const INJECTABLE_FAULTS = [
  'InsufficientResourcesFault',
  'TaskInProgress',
  'FileFault',
  'NotAuthenticated',
  'InvalidArgument',
  'InvalidState',
  'SystemError',
  'DisallowedMigrationDeviceAttached',
  'InvalidDatastore',
  'NoPermission',
] as const;
/** One of INJECTABLE_FAULTS. */
export type InjectableFault = (typeof INJECTABLE_FAULTS)[number];

/**
 * One fault-injection rule. A rule matches calls by WSDL method name and by the `_this` moref value (either may be
 * omitted to match any), fires with `probability` (default 1) at most `count` times (default unlimited), optionally
 * after `delayMs`, and then has one `effect`:
 * - `fault`: the call itself answers an HTTP 500 SOAP fault of type `fault` (default SystemError);
 * - `taskFault`: a *_Task method returns a task that ends in error with `fault` (a sync fault for other methods);
 * - `orphan`: InstantClone_Task creates the clone but the task still ends in error ("clone exists but task failed");
 * - `sessionDrop`: the caller's session ends before the call runs, so it faults NotAuthenticated;
 * - `connectionReset`: the TCP connection is destroyed without an answer;
 * - `http503`: an HTTP 503 with a plain-text body, as a load balancer in front of vCenter would send;
 * - `garbage`: an HTTP 200 whose body is an HTML page, not SOAP (a captive proxy, a misrouted URL);
 * - `slow`: only the delay (`delayMs`, default 1000 ms);
 * - `dropSpec`: InstantClone_Task succeeds, but the clone lacks the `config` keys named in `keys` (exact keys, or
 *   prefixes ending in `*`; every key when absent) and, with `macs`, gets generated MACs instead of manual ones: a
 *   server whose decoder silently skipped typed values (issue 18). Not vCenter behaviour: a client robustness mode.
 * `message` replaces the fault's text (`fault`, `taskFault`, `orphan`), e.g. to send one of 1 MiB.
 */
export interface FaultRule {
  method?: string;
  object?: string;
  effect:
    | 'fault'
    | 'taskFault'
    | 'orphan'
    | 'sessionDrop'
    | 'connectionReset'
    | 'http503'
    | 'garbage'
    | 'slow'
    | 'dropSpec';
  fault?: InjectableFault;
  /** `dropSpec`: the config keys (or `prefix*`) the clone does not get; all when absent. */
  keys?: string[];
  /** `dropSpec`: manual MACs are ignored too. */
  macs?: boolean;
  message?: string;
  probability?: number;
  count?: number;
  delayMs?: number;
}

/** Holds the active rules; `take` consumes the first rule that matches and decides by probability. */
export class FaultInjector {
  private rules: Array<FaultRule & { remaining: number }> = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): void {
    if (!isFaultRule(rule)) throw new TypeError('invalid fault rule');
    this.rules.push({ ...rule, remaining: rule.count ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ remaining: _, ...rule }) => rule);
  }

  /** The rule that fires for this call, if any (its count is consumed). */
  take(method: string, object: string | undefined): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.method !== undefined && rule.method !== '*' && rule.method !== method) continue;
      if (rule.object !== undefined && rule.object !== '*' && rule.object !== object) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      rule.remaining -= 1;
      return rule;
    }
    return undefined;
  }
}

/** Builds the VimFault an injected rule raises, with the rule's own message when it has one. */
export function injectedFault(rule: Pick<FaultRule, 'fault' | 'message'>, object: string | undefined): VimFault {
  const fault = faultOfType(rule.fault, object);
  return rule.message === undefined ? fault : new VimFault(fault.faultType, fault.fields, rule.message);
}

function faultOfType(type: InjectableFault | undefined, object: string | undefined): VimFault {
  switch (type ?? 'SystemError') {
    case 'InsufficientResourcesFault':
      return faults.insufficientResources();
    case 'TaskInProgress':
      return faults.taskInProgress(moref('Task', 'task-0'));
    case 'FileFault':
      return faults.fileFault(`[LocalDS_0] ${object ?? 'vm'}/${object ?? 'vm'}.vmx`);
    case 'NotAuthenticated':
      return faults.notAuthenticated();
    case 'InvalidArgument':
      return faults.invalidArgument('spec');
    case 'InvalidState':
      return faults.invalidState();
    case 'DisallowedMigrationDeviceAttached': {
      const cause = obj('LocalizedMethodFault', [
        ['fault', obj('RemoteDeviceNotSupported', [], true)],
        ['localizedMessage', str('The virtual machine has a remote device attached.')],
      ]);
      return new VimFault(
        'DisallowedMigrationDeviceAttached',
        [['fault', cause]],
        'Migration of a virtual machine with a remote device attached is not supported.',
      );
    }
    case 'InvalidDatastore':
      return new VimFault('InvalidDatastore', [], 'The datastore is not accessible from the host.');
    case 'NoPermission':
      return new VimFault(
        'NoPermission',
        [
          ['object', moref('VirtualMachine', object ?? 'vm-0')],
          ['privilegeId', str('VirtualMachine.Provisioning.Clone')],
        ],
        'Permission to perform this operation was denied.',
      );
    default:
      return faults.systemError('injected fault');
  }
}

const EFFECTS = new Set([
  'fault',
  'taskFault',
  'orphan',
  'sessionDrop',
  'connectionReset',
  'http503',
  'garbage',
  'slow',
  'dropSpec',
]);

/** Validates untrusted input (the admin endpoint) against the FaultRule shape. */
export function isFaultRule(value: unknown): value is FaultRule {
  if (typeof value !== 'object' || value === null) return false;
  const rule = value as Record<string, unknown>;
  const optionalString = (key: string): boolean => rule[key] === undefined || typeof rule[key] === 'string';
  const optionalNumber = (key: string): boolean => rule[key] === undefined || typeof rule[key] === 'number';
  return (
    typeof rule['effect'] === 'string' &&
    EFFECTS.has(rule['effect']) &&
    optionalString('method') &&
    optionalString('object') &&
    optionalString('message') &&
    (rule['fault'] === undefined || (INJECTABLE_FAULTS as readonly unknown[]).includes(rule['fault'])) &&
    optionalNumber('probability') &&
    optionalNumber('count') &&
    optionalNumber('delayMs') &&
    (rule['keys'] === undefined ||
      (Array.isArray(rule['keys']) && rule['keys'].every((k: unknown) => typeof k === 'string'))) &&
    (rule['macs'] === undefined || typeof rule['macs'] === 'boolean')
  );
}

/** Whether a `dropSpec` rule drops this config key (see FaultRule). */
export function dropsKey(rule: Pick<FaultRule, 'keys'>, key: string): boolean {
  if (rule.keys === undefined) return true;
  return rule.keys.some((k) => (k.endsWith('*') ? key.startsWith(k.slice(0, -1)) : key === k));
}
