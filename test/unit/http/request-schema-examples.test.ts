import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { ListQuerySchema } from '#shared/clones/api/list-query';
import { CallerCloneRequestSchema } from '#shared/clones/model/clone-request';
import { ClaimRequestSchema, PoolNameSchema, PoolSpecSchema, ReleaseRequestSchema } from '#shared/pools/model/pool';

/** Every schema a request body, path or query is parsed with. */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  CallerCloneRequestSchema,
  ListQuerySchema,
  PoolSpecSchema,
  PoolNameSchema,
  ClaimRequestSchema,
  ReleaseRequestSchema,
};
/** The files those schemas are written in: every message there that quotes an example must be reachable by the walk. */
const SCHEMA_FILES = [
  'shared/clones/model/clone-request.ts',
  'shared/clones/api/list-query.ts',
  'shared/pools/model/pool.ts',
];

/** The parts of zod 4's schema definitions the walk reads (zod keeps them on `schema._zod.def`). */
type Def = {
  error?: (issue: unknown) => unknown;
  checks?: Array<{ _zod: { def: { error?: (issue: unknown) => unknown } } }>;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
};
type Message = { node: z.ZodType; text: string };

const defOf = (node: z.ZodType) => (node as unknown as { _zod: { def: Def } })._zod.def;
const textOf = (def: Pick<Def, 'error'>): string | undefined => {
  const text = def.error?.({});
  return typeof text === 'string' ? text : undefined;
};

/** Every custom message of a schema tree with the node it belongs to (its own error or one of its checks'). */
const messagesOf = (node: z.ZodType, out: Message[] = []): Message[] => {
  const def = defOf(node);
  for (const text of [textOf(def), ...(def.checks ?? []).map((c) => textOf(c._zod.def))])
    if (text !== undefined) out.push({ node, text });
  const children = [
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    ...[def.innerType, def.in, def.out, def.element, def.keyType, def.valueType].filter((c) => c !== undefined),
  ];
  for (const child of children) messagesOf(child, out);
  return out;
};

const EXAMPLE = /(?:such as|e\.g\.)\s+(?:"([^"]+)"|([^\s,)]+))/g;
/** In an object's message an example belongs to the field quoted right before it: `"path" (e.g. /DC0/vm/golden)`. */
const FIELD_EXAMPLE = /"(\w+)" \((?:such as|e\.g\.)\s+([^)]+)\)/g;

/** The examples a message quotes and the validator each must pass. */
const examplesOf = ({ node, text }: Message): Array<{ example: string; validator: z.ZodType; text: string }> => {
  const shape = defOf(node).shape;
  if (shape === undefined)
    return [...text.matchAll(EXAMPLE)].map((m) => ({ example: m[1] ?? m[2] ?? '', validator: node, text }));
  const scoped = [...text.matchAll(FIELD_EXAMPLE)].map((m) => ({
    example: m[2] ?? '',
    validator: shape[m[1] ?? ''] as z.ZodType,
    text,
  }));
  expect(scoped.length, `every example in "${text}" names its field`).toBe([...text.matchAll(EXAMPLE)].length);
  return scoped;
};

const allMessages = Object.values(REQUEST_SCHEMAS).flatMap((schema) => messagesOf(schema));
const allExamples = [
  ...new Map(allMessages.flatMap(examplesOf).map((e) => [`${e.example} ${e.text}`, e] as const)).values(),
];

describe('Request schemas: the examples in their error messages', () => {
  it('finds the quoted examples of every request schema', () => {
    // Assess: the walk reaches the messages that quote examples (a walk that finds nothing proves nothing)
    expect(allExamples.map((e) => e.example)).toEqual(
      expect.arrayContaining([
        '/DC0/vm/golden',
        'vm-42',
        'group-v4',
        '00:50:56:3a:12:34',
        '[LocalDS_0] ci-1/serial0.log',
        '4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b',
      ]),
    );
  });

  it('reaches every message of the schema files that quotes an example', () => {
    // Prepare: string literals in the schema sources that quote an example
    const literals = SCHEMA_FILES.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/'([^'\n]*(?:such as|e\.g\.)[^'\n]*)'/g)].map((m) => m[1]),
    );
    // Assess
    expect(literals.length).toBeGreaterThan(0);
    expect(allMessages.map((m) => m.text)).toEqual(expect.arrayContaining(literals));
  });

  it.each(allExamples.map((e) => [e.example, e.text, e.validator] as const))(
    'accepts %s, quoted in "%s"',
    (example, _text, validator) => {
      // Act
      const result = validator.safeParse(example);
      // Assess
      expect(result.error?.issues ?? []).toEqual([]);
    },
  );
});
