import fc from 'fast-check';

/**
 * Structure for the route fuzz: JSON values and texts that attack a parser rather than a schema (depth, width, size,
 * key names, numbers, duplicate keys, broken text) and the bytes they travel as (encodings). Cheap to generate:
 * large sizes are built with `repeat`, never drawn character by character.
 */

/** Keys that trip object handling in JavaScript, DynamoDB marshalling or our own key rules. */
export const trickyKey = fc.constantFrom(
  'constructor',
  'prototype',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  '',
  ' ',
  'guestinfo.x',
  'instaclone.pool',
  'instaclone.claimedBy',
  'a.b.c',
  '\u0000',
  '\ud800',
  '💥',
  'ключ',
  'x'.repeat(201),
  'k'.repeat(5000),
);

/** Any key: tricky, short and plain, or any string. */
export const anyKey = fc.oneof(
  { weight: 3, arbitrary: trickyKey },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
);

/** Strings of every size class: empty, short of any unit, and long (64 KiB, just over, 200 KiB). */
export const anyString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constantFrom(65_536, 65_537, 200_000).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\u2028', '\ufeff', '\u0000', '"', '\\') },
);

/** Numbers a JSON route may meet: edges of integers, floats, -0, huge and tiny. */
export const anyNumber = fc.oneof(
  fc.integer({ min: -3, max: 200 }),
  fc.constantFrom(-0, 0.5, 1e21, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, Number.MIN_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON value of bounded depth and width with hostile keys and leaves. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    anyNumber,
    anyString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

const nest = (depth: number, open: string, close: string, inner: string) =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/**
 * JSON text no well-behaved client sends: nesting around the depth limit and far beyond, wide objects, many keys,
 * duplicate keys, numbers no double holds, text that is cut short or followed by more.
 */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(31, 32, 33, 1000, 10_000, 100_000), fc.constantFrom('array', 'object', 'string-inside'))
    .map(([depth, kind]) =>
      kind === 'array'
        ? nest(depth, '[', ']', '')
        : kind === 'object'
          ? nest(depth, '{"a":', '}', '1')
          : nest(depth, '["[{', '}]"]', ''),
    ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  fc.integer({ min: 1, max: 50_000 }).map((n) => `[${'0,'.repeat(n)}0]`),
  fc.constantFrom(
    '{"source":{"path":"/a"},"source":{"moref":"vm-1"}}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"count":1e400}',
    '{"count":-0}',
    '{"count":1.0}',
    '{"a":NaN}',
    '{"a":Infinity}',
    "{'a':1}",
    '{"a":1,}',
    '[1,]',
    '\ufeff{}',
    '{}{}',
    '{} trailing',
    '"just a string"',
    'null',
    'true',
    '12',
    '',
    ' ',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
  ),
  jsonValue.chain((value) => {
    const text = JSON.stringify(value) ?? 'null';
    return fc.nat(text.length).map((cut) => text.slice(0, cut));
  }),
);

/** How a body's text is turned into bytes: mostly UTF-8, sometimes with a BOM, another encoding or broken bytes. */
export type BodyEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'latin1' | 'invalid-utf8' | 'base64-text';

export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('utf8' as const) },
  { weight: 1, arbitrary: fc.constantFrom('utf8-bom', 'utf16le', 'latin1', 'invalid-utf8', 'base64-text') },
);

/** The bytes of `text` in `encoding`. */
export const encodeBody = (text: string, encoding: BodyEncoding): Buffer => {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'invalid-utf8': {
      const bytes = Buffer.from(text, 'utf8');
      const at = Math.floor(bytes.length / 2);
      return Buffer.concat([
        bytes.subarray(0, at),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        bytes.subarray(at),
      ]);
    }
    case 'base64-text':
      return Buffer.from(Buffer.from(text, 'utf8').toString('base64'), 'utf8');
  }
};
