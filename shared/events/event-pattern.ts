import { BlockList, isIP } from 'node:net';

/** A literal in a pattern: matches an equal event value (numbers compare numerically). */
export type PatternLiteral = string | number | boolean | null;

type IgnoreCase = { readonly 'equals-ignore-case': string };
type StringMatch = string | IgnoreCase;

/** One content-filter operator, as in the EventBridge pattern operator reference. */
export type PatternOperator =
  | { readonly prefix: StringMatch }
  | { readonly suffix: StringMatch }
  | IgnoreCase
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly cidr: string }
  | {
      readonly 'anything-but':
        | PatternLiteral
        | readonly PatternLiteral[]
        | { readonly prefix: string }
        | { readonly suffix: string }
        | { readonly wildcard: string | readonly string[] }
        | { readonly 'equals-ignore-case': string | readonly string[] };
    };

/** An element of a leaf array: the leaf matches when ANY element matches. */
export type PatternMatcher = PatternLiteral | PatternOperator;

/**
 * An EventBridge event pattern (the JSON a rule carries): each field maps to a leaf array of matchers
 * (any-of) or to a nested pattern; all fields must match. `$or` holds alternative patterns.
 * Field names are the event's wire names (`detail-type`, not CDK's `detailType`).
 */
export type EventPattern = {
  readonly [field: string]: readonly (PatternMatcher | EventPattern)[] | EventPattern;
};

/** Thrown when a pattern uses an operator this matcher does not know (EventBridge rejects such rules). */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

type Json = PatternLiteral | readonly Json[] | { readonly [key: string]: Json | undefined };

/**
 * Decides whether an event (the full envelope: `source`, `detail-type`, `detail`, …) matches a pattern,
 * following EventBridge semantics: every pattern field must match; a leaf array matches when any of its
 * matchers matches; an event array matches when any element matches; a missing field only matches
 * `{ exists: false }`; `anything-but` and the string operators need the field present.
 *
 * Deviation from EventBridge: for arrays of objects, a nested pattern must match within ONE element
 * (EventBridge flattens arrays and may match fields taken from different elements).
 *
 * Throws {@link InvalidEventPatternError} for an unknown operator. Pure: no I/O.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, spec]) => {
    if (field === '$or') {
      return Array.isArray(spec) && spec.some((alternative) => matchesEventPattern(alternative as EventPattern, event));
    }
    const value = isRecord(event) ? event[field] : undefined;
    if (Array.isArray(spec)) return matchesLeaf(spec as readonly PatternMatcher[], value);
    return matchesNested(spec as EventPattern, value);
  });
}

function matchesNested(pattern: EventPattern, value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => matchesNested(pattern, element));
  // A nested pattern whose every leaf is {exists:false} still matches when the parent object is missing.
  return matchesEventPattern(pattern, isRecord(value) ? value : undefined);
}

function matchesLeaf(matchers: readonly PatternMatcher[], value: unknown): boolean {
  const scalars = leafValues(value);
  const present = value !== undefined && !(Array.isArray(value) && value.length === 0);
  return matchers.some((matcher) => {
    if (isRecord(matcher) && 'exists' in matcher) return matcher.exists === present;
    return scalars.some((scalar) => matchesScalar(matcher, scalar));
  });
}

function leafValues(value: unknown): PatternLiteral[] {
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return isLiteral(value) ? [value] : [];
}

function matchesScalar(matcher: PatternMatcher, value: PatternLiteral): boolean {
  if (!isRecord(matcher)) return literalEquals(matcher, value);
  const [operator, ...extra] = Object.keys(matcher);
  if (operator === undefined || extra.length > 0) throw invalid(matcher);
  const operand = (matcher as Record<string, Json>)[operator] as Json;
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && stringAffix(operand, value, (v, p) => v.startsWith(p));
    case 'suffix':
      return typeof value === 'string' && stringAffix(operand, value, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && foldCase(value) === foldCase(operand);
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcardRegExp(operand).test(value);
    case 'numeric':
      return typeof value === 'number' && Array.isArray(operand) && numericMatches(operand, value);
    case 'cidr':
      return typeof value === 'string' && typeof operand === 'string' && cidrContains(operand, value);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      throw invalid(matcher);
  }
}

function literalEquals(expected: PatternLiteral, value: PatternLiteral): boolean {
  return expected === value;
}

function stringAffix(operand: Json, value: string, test: (value: string, affix: string) => boolean): boolean {
  if (typeof operand === 'string') return test(value, operand);
  if (isRecord(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(foldCase(value), foldCase(operand['equals-ignore-case']));
  }
  throw invalid(operand);
}

function anythingBut(operand: Json, value: PatternLiteral): boolean {
  if (Array.isArray(operand)) return operand.every((excluded) => !literalEquals(excluded as PatternLiteral, value));
  if (!isRecord(operand)) return !literalEquals(operand as PatternLiteral, value);
  const [operator] = Object.keys(operand);
  const inner = operator === undefined ? undefined : operand[operator];
  const list = (Array.isArray(inner) ? inner : [inner]) as Json[];
  if (typeof value !== 'string') return false;
  switch (operator) {
    case 'prefix':
      return typeof inner === 'string' && !value.startsWith(inner);
    case 'suffix':
      return typeof inner === 'string' && !value.endsWith(inner);
    case 'equals-ignore-case':
      return list.every((excluded) => typeof excluded === 'string' && foldCase(excluded) !== foldCase(value));
    case 'wildcard':
      return list.every((excluded) => typeof excluded === 'string' && !wildcardRegExp(excluded).test(value));
    default:
      throw invalid(operand);
  }
}

const COMPARATORS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericMatches(conditions: readonly Json[], value: number): boolean {
  if (conditions.length === 0 || conditions.length % 2 !== 0) throw invalid({ numeric: conditions });
  for (let i = 0; i < conditions.length; i += 2) {
    const compare = COMPARATORS[String(conditions[i])];
    const bound = conditions[i + 1];
    if (!compare || typeof bound !== 'number') throw invalid({ numeric: conditions });
    if (!compare(value, bound)) return false;
  }
  return true;
}

function cidrContains(cidr: string, address: string): boolean {
  const [network, bits] = cidr.split('/');
  const family = network === undefined ? 0 : isIP(network);
  const prefix = Number(bits);
  if (!network || family === 0 || !Number.isInteger(prefix)) throw invalid({ cidr });
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (isIP(address) !== family) return false;
  const block = new BlockList();
  block.addSubnet(network, prefix, type);
  return block.check(address, type);
}

const wildcardCache = new Map<string, RegExp>();

/** `*` matches any run of characters; `\*` is a literal star. */
function wildcardRegExp(wildcard: string): RegExp {
  let cached = wildcardCache.get(wildcard);
  if (!cached) {
    const source = wildcard
      .split(/(\\\*|\*)/)
      .map((part) => (part === '*' ? '.*' : part === '\\*' ? '\\*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    cached = new RegExp(`^${source}$`, 's');
    wildcardCache.set(wildcard, cached);
  }
  return cached;
}

function foldCase(text: string): string {
  return text.toLowerCase();
}

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLiteral(value: unknown): value is PatternLiteral {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function invalid(fragment: unknown): InvalidEventPatternError {
  return new InvalidEventPatternError(`unsupported event pattern operator: ${JSON.stringify(fragment)}`);
}
