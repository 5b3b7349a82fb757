import fc from 'fast-check';
import { MAX_VM_NAME_LENGTH } from '#shared/clones/model/clone-request';

/** vSphere escapes "/", "\\" and "%" in names, and control characters are never wanted (the schema's rule). */
const isAllowedName = (name: string): boolean =>
  [...name].every((c) => c.charCodeAt(0) >= 0x20 && c !== '/' && c !== '\\' && c !== '%');
const hex2 = (max: number) => fc.integer({ min: 0, max }).map((n) => n.toString(16).padStart(2, '0'));

/** Inventory paths: "/" then one or more segments of anything but "/". */
export const inventoryPath = fc
  .array(
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/')),
    { minLength: 1, maxLength: 6 },
  )
  .map((segments) => `/${segments.join('/')}`)
  .filter((p) => p.length <= 1024);

/** Manual MACs in VMware's range, in either case (the schema lower-cases them). */
export const manualMac = fc.tuple(hex2(0x3f), hex2(0xff), hex2(0xff), fc.boolean()).map(([a, b, c, upper]) => {
  const mac = `00:50:56:${a}:${b}:${c}`;
  return upper ? mac.toUpperCase() : mac;
});

/** A source VM by inventory path or by moref (the schema wants exactly one). */
export const source = fc.oneof(
  inventoryPath.map((path) => ({ path })),
  fc.stringMatching(/^[A-Za-z0-9_.:-]{1,80}$/).map((moref) => ({ moref })),
);

/** Names vSphere accepts: 1-79 UTF-16 units, any script, no control characters, "/", "\\" or "%". */
export const vmName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: MAX_VM_NAME_LENGTH })
  .filter((name) => name.length <= MAX_VM_NAME_LENGTH && isAllowedName(name));

/** Up to 10 NIC edits with distinct keys, each with no MAC, "auto" or a manual VMware MAC. */
export const nics = fc.uniqueArray(
  fc.record(
    { key: fc.integer({ min: 0, max: 2_147_483_647 }), mac: fc.oneof(fc.constant('auto'), manualMac) },
    { requiredKeys: ['key'] },
  ),
  { maxLength: 10, selector: (nic) => nic.key },
);

/** Up to 64 guestinfo entries with the key characters the schema allows (`__proto__` is refused as a key anywhere). */
export const guestinfo = fc.dictionary(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/).filter((key) => key !== '__proto__'),
  fc.string({ maxLength: 64 }),
  { maxKeys: 64 },
);

/** Any body the v1 schema must accept. */
export const validCloneRequest = fc.record(
  {
    version: fc.constant('1'),
    source,
    name: vmName,
    folder: inventoryPath,
    nics,
    guestinfo,
  },
  { requiredKeys: ['source'] },
);
/** A body drawn from {@link validCloneRequest}. */
export type ValidCloneRequest = typeof validCloneRequest extends fc.Arbitrary<infer T> ? T : never;

/** Values of the wrong JSON type for any field. */
export const wrongType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
);
