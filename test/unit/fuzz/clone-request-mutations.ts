import fc from 'fast-check';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { type ValidCloneRequest, wrongType } from './clone-request-arbitraries.js';

/** A body the schema must refuse, and the field the 400 must name (the field itself or one inside it). */
export type Mutation = { kind: string; body: unknown; field: string; mentions?: string };

/** Read from the schema, so a field added later is never mistaken for an unknown one. */
const KNOWN_FIELDS = new Set(Object.keys(CloneRequestSchema.shape));
/** Fields for which every value of `wrongType` is wrong (a number is a fine `count`, for one). */
const FIELDS = ['version', 'source', 'name', 'folder', 'nics', 'guestinfo'];

const without = (body: ValidCloneRequest, key: keyof ValidCloneRequest) => {
  const { [key]: _, ...rest } = body;
  return rest;
};

/** Strings that are neither "auto" nor a MAC. */
const notAMac = fc
  .string({ maxLength: 20 })
  .filter((s) => s.toLowerCase() !== 'auto' && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(s));
const outOfRangeMac = fc
  .tuple(fc.integer({ min: 0x40, max: 0xff }), fc.integer({ min: 0, max: 0xff }))
  .map(([a, b]) => `00:50:56:${a.toString(16).padStart(2, '0')}:${b.toString(16).padStart(2, '0')}:00`);
const forbiddenNameChar = fc.constantFrom('/', '\\', '%', '\u0000', '\n', '\u001f');

/** Every way a valid body is broken, each with the field the answer must name. */
export const mutationOf = (body: ValidCloneRequest): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.constant({ kind: 'no source', body: without(body, 'source'), field: 'source' }),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((k) => !KNOWN_FIELDS.has(k) && k !== '__proto__')
      .map((k) => ({ kind: 'unknown field', body: { ...body, [k]: 1 }, field: 'body', mentions: k })),
    fc.constant({
      kind: 'path and moref',
      body: { ...body, source: { path: '/DC0/vm/a', moref: 'vm-1' } },
      field: 'source',
    }),
    fc.constant({ kind: 'empty source', body: { ...body, source: {} }, field: 'source' }),
    fc
      .string({ maxLength: 20 })
      .filter((p) => !/^\/[^/]/.test(p))
      .map((path) => ({ kind: 'relative path', body: { ...body, source: { path } }, field: 'source.path' })),
    fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((m) => !/^[A-Za-z0-9_.:-]{1,80}$/.test(m))
      .map((moref) => ({ kind: 'bad moref', body: { ...body, source: { moref } }, field: 'source.moref' })),
    fc
      .string({ minLength: 80, maxLength: 200 })
      .map((name) => ({ kind: 'long name', body: { ...body, name }, field: 'name' })),
    fc
      .tuple(fc.string({ maxLength: 10 }), forbiddenNameChar)
      .map(([s, c]) => ({ kind: 'forbidden character', body: { ...body, name: `${s}${c}` }, field: 'name' })),
    notAMac.map((mac) => ({ kind: 'not a MAC', body: { ...body, nics: [{ key: 4000, mac }] }, field: 'nics.0.mac' })),
    outOfRangeMac.map((mac) => ({
      kind: 'MAC out of range',
      body: { ...body, nics: [{ key: 4000, mac }] },
      field: 'nics.0.mac',
    })),
    fc
      .oneof(fc.integer({ max: -1 }), fc.double({ noNaN: true, noInteger: true }), fc.string())
      .map((key) => ({ kind: 'bad NIC key', body: { ...body, nics: [{ key }] }, field: 'nics.0.key' })),
    fc.constant({ kind: 'duplicate NIC keys', body: { ...body, nics: [{ key: 1 }, { key: 1 }] }, field: 'nics' }),
    fc.integer({ min: 11, max: 15 }).map((n) => ({
      kind: 'too many NICs',
      body: { ...body, nics: Array.from({ length: n }, (_, key) => ({ key })) },
      field: 'nics',
    })),
    fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(' ', '/', '=', '"', 'é')).map(([s, c]) => ({
      kind: 'bad guestinfo key',
      body: { ...body, guestinfo: { [`${s}${c}`]: 'v' } },
      field: 'guestinfo',
    })),
    fc.integer({ min: 65, max: 80 }).map((n) => ({
      kind: 'too many guestinfo entries',
      body: { ...body, guestinfo: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])) },
      field: 'guestinfo',
    })),
    fc
      .tuple(fc.constantFrom(...FIELDS), wrongType)
      .map(([field, value]) => ({ kind: 'wrong type', body: { ...body, [field]: value }, field })),
    fc
      .constantFrom('2', 1, '')
      .map((version) => ({ kind: 'wrong version', body: { ...body, version }, field: 'version' })),
    fc
      .oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.integer(), { maxLength: 3 }))
      .map((value) => ({ kind: 'not an object', body: value, field: 'body' })),
  );
