/**
 * The simulator's in-memory form of a vim25 value, just rich enough to serialise it the way vCenter does.
 *
 * A value knows its vim25 type so that the writer can put `xsi:type` where the slot is polymorphic (`anyType`,
 * `DynamicProperty.val`, `TaskInfo.result`, `VirtualDevice.backing`, …) and wrap arrays in `ArrayOfX` inside
 * `anyType` slots. Data objects keep their fields in schema order, because vCenter emits schema order and some
 * clients (node-soap, strict doc/literal parsers) depend on it.
 */
export type VimValue = VimPrimitive | VimEnum | VimMoRef | VimObject | VimArray | VimAny;

/** An XML Schema primitive; `xsdType` is the local name used as `xsd:<xsdType>` in anyType slots. */
export interface VimPrimitive {
  readonly kind: 'primitive';
  readonly xsdType: 'string' | 'int' | 'long' | 'short' | 'boolean' | 'dateTime' | 'base64Binary';
  readonly value: string;
}

/** A vim25 enum value such as `VirtualMachinePowerState` `poweredOn`. */
export interface VimEnum {
  readonly kind: 'enum';
  readonly type: string;
  readonly value: string;
}

/** A managed object reference `<x type="VirtualMachine">vm-42</x>`. */
export interface VimMoRef {
  readonly kind: 'moref';
  readonly type: string;
  readonly value: string;
}

/**
 * A data object. `polymorphic` forces `xsi:type` even in a non-anyType slot, as vCenter does for fields whose
 * declared type is abstract (`VirtualHardware.device[]`, `VirtualDevice.backing`, `LocalizedMethodFault.fault`,
 * `TaskInfo.reason`).
 */
export interface VimObject {
  readonly kind: 'object';
  readonly type: string;
  readonly fields: ReadonlyArray<readonly [string, VimValue | undefined]>;
  readonly polymorphic?: boolean;
}

/** An array: repeated elements inside a data object, an `ArrayOf<itemType>` wrapper inside an anyType slot. */
export interface VimArray {
  readonly kind: 'array';
  readonly itemType: string;
  readonly items: readonly VimValue[];
}

/** Marks an `anyType` slot (`OptionValue.value`, `TaskInfo.result`, `DynamicProperty.val`): written with xsi:type. */
export interface VimAny {
  readonly kind: 'any';
  readonly value: VimValue;
}

/** Marks a value for an anyType slot. */
export const anyType = (value: VimValue): VimAny => ({ kind: 'any', value });

/** xsd:string */
export const str = (value: string): VimPrimitive => ({ kind: 'primitive', xsdType: 'string', value });
/** xsd:int */
export const int = (value: number): VimPrimitive => ({ kind: 'primitive', xsdType: 'int', value: String(value) });
/** xsd:long */
export const long = (value: number): VimPrimitive => ({ kind: 'primitive', xsdType: 'long', value: String(value) });
/** xsd:boolean */
export const bool = (value: boolean): VimPrimitive => ({ kind: 'primitive', xsdType: 'boolean', value: String(value) });
/** xsd:dateTime in ISO 8601 with `Z`, as vCenter writes it. */
export const dateTime = (value: Date): VimPrimitive => ({
  kind: 'primitive',
  xsdType: 'dateTime',
  value: value.toISOString(),
});
/** A value of a vim25 enum type. */
export const enumValue = (type: string, value: string): VimEnum => ({ kind: 'enum', type, value });
/** A ManagedObjectReference. */
export const moref = (type: string, value: string): VimMoRef => ({ kind: 'moref', type, value });

/** Builds a data object; `undefined` fields are dropped when written (vim25 `omitempty`). */
export const obj = (
  type: string,
  fields: ReadonlyArray<readonly [string, VimValue | undefined]>,
  polymorphic = false,
): VimObject => ({ kind: 'object', type, fields, polymorphic });

/** An array of `itemType` items. */
export const arr = (itemType: string, items: readonly VimValue[]): VimArray => ({ kind: 'array', itemType, items });

/** Optional primitive helper: `undefined` in, `undefined` out, so optional fields read naturally. */
export const optStr = (value: string | undefined): VimPrimitive | undefined =>
  value === undefined ? undefined : str(value);

/** Marks a path step that names no field of the data object (reported as InvalidProperty). */
export const UNKNOWN_PATH = Symbol('unknown-path');

/**
 * Walks a dotted property path below a value (`hardware.device` under `config`).
 * Returns `undefined` when a known field is unset and `UNKNOWN_PATH` when a step names no field at all. Arrays are
 * not indexed: vim25 paths cannot address array members without a key selector, which the simulator does not model.
 */
export function selectPath(value: VimValue, path: readonly string[]): VimValue | undefined | typeof UNKNOWN_PATH {
  let current: VimValue | undefined = value;
  for (const step of path) {
    if (current?.kind === 'any') current = current.value;
    if (current === undefined) return undefined;
    if (current.kind !== 'object') return UNKNOWN_PATH;
    const field: readonly [string, VimValue | undefined] | undefined = current.fields.find(([name]) => name === step);
    if (field === undefined) return UNKNOWN_PATH;
    current = field[1];
  }
  return current?.kind === 'any' ? current.value : current;
}
