import { arr, enumValue, moref, obj, str, type VimMoRef, type VimObject, type VimValue } from './vim-value.js';
import { envelope, escapeXml, writeFields } from './xml-writer.js';

/**
 * A vim25 MethodFault raised by a simulated method. Thrown synchronously it becomes an HTTP 500 SOAP fault; caught
 * by a task it becomes `TaskInfo.error` (a LocalizedMethodFault). `fields` are the fault's own properties in schema
 * order; `message` is the localized message vCenter puts in `faultstring` / `localizedMessage`.
 */
export class VimFault extends Error {
  override readonly name = 'VimFault';
  constructor(
    readonly faultType: string,
    readonly fields: ReadonlyArray<readonly [string, VimValue | undefined]>,
    message: string,
  ) {
    super(message);
  }

  /** The fault as a polymorphic data object (`<fault xsi:type="InvalidPowerState">…`). */
  toValue(): VimObject {
    return obj(this.faultType, this.fields, true);
  }
}

/** `LocalizedMethodFault{fault, localizedMessage}` as used by `TaskInfo.error` and `MissingProperty.fault`. */
export function localizedMethodFault(fault: VimFault): VimObject {
  return obj('LocalizedMethodFault', [
    ['fault', fault.toValue()],
    ['localizedMessage', str(fault.message)],
  ]);
}

/**
 * The complete SOAP 1.1 fault envelope of reference §1.4: `ServerFaultCode`, the localized `faultstring`, and one
 * `<TypeFault xmlns="urn:vim25" xsi:type="Type">` detail element carrying the fault's fields.
 */
export function faultEnvelope(fault: VimFault): string {
  const detail = `<${fault.faultType}Fault xmlns="urn:vim25" xsi:type="${fault.faultType}">${writeFields(fault.fields)}</${fault.faultType}Fault>`;
  return envelope(
    `<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${escapeXml(fault.message)}</faultstring><detail>${detail}</detail></soapenv:Fault>`,
  );
}

const ref = (type: string, value: string): VimMoRef => moref(type, value);

// vCenter prints power states in their display form in InvalidPowerState messages.
const POWER_STATE_LABEL: Record<string, string> = {
  poweredOn: 'Powered on',
  poweredOff: 'Powered off',
  suspended: 'Suspended',
};

/** Factories for the MethodFaults the simulator raises, with the faultstrings real vCenter uses (reference §1.4). */
export const faults = {
  notAuthenticated: (): VimFault =>
    new VimFault(
      'NotAuthenticated',
      [
        ['object', ref('ServiceInstance', 'ServiceInstance')],
        ['privilegeId', str('System.View')],
      ],
      'The session is not authenticated.',
    ),
  invalidLogin: (): VimFault =>
    new VimFault('InvalidLogin', [], 'Cannot complete login due to an incorrect user name or password.'),
  managedObjectNotFound: (type: string, value: string): VimFault =>
    new VimFault(
      'ManagedObjectNotFound',
      [['obj', ref(type, value)]],
      `The object 'vim.${type}:${value}' has already been deleted or has not been completely created`,
    ),
  methodNotFound: (type: string, value: string, method: string): VimFault =>
    new VimFault(
      'MethodNotFound',
      [
        ['receiver', ref(type, value)],
        ['method', str(method)],
      ],
      `${type}:${value} does not implement: ${method}`,
    ),
  invalidArgument: (property?: string): VimFault =>
    new VimFault(
      'InvalidArgument',
      [['invalidProperty', property === undefined ? undefined : str(property)]],
      property === undefined
        ? 'A specified parameter was not correct: '
        : `A specified parameter was not correct: ${property}`,
    ),
  invalidDeviceSpec: (property: string, deviceIndex: number): VimFault =>
    new VimFault(
      'InvalidDeviceSpec',
      [
        ['property', str(property)],
        ['deviceIndex', { kind: 'primitive', xsdType: 'int', value: String(deviceIndex) }],
      ],
      `Invalid configuration for device '${deviceIndex}'.`,
    ),
  invalidPowerState: (requested: string | undefined, existing: string): VimFault =>
    new VimFault(
      'InvalidPowerState',
      [
        ['requestedState', requested === undefined ? undefined : enumValue('VirtualMachinePowerState', requested)],
        ['existingState', enumValue('VirtualMachinePowerState', existing)],
      ],
      `The attempted operation cannot be performed in the current state (${POWER_STATE_LABEL[existing] ?? existing}).`,
    ),
  duplicateName: (name: string, object: VimMoRef): VimFault =>
    new VimFault(
      'DuplicateName',
      [
        ['name', str(name)],
        ['object', object],
      ],
      `The name '${name}' already exists.`,
    ),
  invalidName: (name: string): VimFault =>
    new VimFault('InvalidName', [['name', str(name)]], `The name '${name}' is invalid.`),
  invalidProperty: (name: string): VimFault => new VimFault('InvalidProperty', [['name', str(name)]], ''),
  invalidRequest: (message: string): VimFault => new VimFault('InvalidRequest', [], message),
  invalidState: (): VimFault => new VimFault('InvalidState', [], 'The operation is not allowed in the current state.'),
  invalidCollectorVersion: (): VimFault =>
    new VimFault('InvalidCollectorVersion', [], 'The collector version is invalid.'),
  requestCanceled: (): VimFault => new VimFault('RequestCanceled', [], 'The task was canceled by a user.'),
  notSupported: (): VimFault => new VimFault('NotSupported', [], 'The operation is not supported on the object.'),
  taskInProgress: (task: VimMoRef): VimFault =>
    new VimFault('TaskInProgress', [['task', task]], 'The operation is not allowed in the current state.'),
  insufficientResources: (): VimFault =>
    new VimFault(
      'InsufficientResourcesFault',
      [],
      'The available Memory resources in the parent resource pool are insufficient for the operation.',
    ),
  fileFault: (file: string): VimFault =>
    new VimFault('FileFault', [['file', str(file)]], `Error caused by file ${file}`),
  systemError: (reason: string, message = 'A general system error occurred: '): VimFault =>
    new VimFault('SystemError', [['reason', str(reason)]], `${message}${reason}`),
  /**
   * The delta-disk chain limit of KB 67186: `SystemError{reason: "Launch failure"}` caused by GenericVmConfigFault
   * `msg.migrate.prepare.failed`.
   */
  deltaDiskChainLimit: (): VimFault => {
    const cause = obj(
      'LocalizedMethodFault',
      [
        [
          'fault',
          obj(
            'GenericVmConfigFault',
            [
              [
                'faultMessage',
                arr('LocalizableMessage', [
                  obj('LocalizableMessage', [
                    ['key', str('msg.migrate.prepare.failed')],
                    ['message', str('Unable to prepare migration.')],
                  ]),
                ]),
              ],
              ['reason', str('Unable to prepare migration.')],
            ],
            true,
          ),
        ],
        ['localizedMessage', str('Unable to prepare migration.')],
      ],
      false,
    );
    return new VimFault(
      'SystemError',
      [
        ['faultCause', cause],
        ['reason', str('Launch failure')],
      ],
      'A general system error occurred: Launch failure',
    );
  },
};

/** Names of the fault factories that take no arguments beyond what fault injection can supply. */
export type FaultName = keyof typeof faults;
