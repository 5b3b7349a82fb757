import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { InvalidJsonError, ValidationError } from '../errors/app-error.js';
import { toFieldIssues } from '../errors/field-issues.js';
import { requireContentType } from './content-type.js';

/**
 * Deepest nesting of objects and arrays a JSON body may have (the deepest valid body, a pool template with NICs,
 * nests 4 levels). Deeper text is refused before it is parsed, so no later walk over it can run out of stack.
 */
export const MAX_JSON_DEPTH = 32;

/** True when JSON text nests objects/arrays deeper than `limit`: one pass over the text, no parsing, no recursion. */
export const nestsDeeperThan = (text: string, limit: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
};

/**
 * Paths of `__proto__` keys anywhere in parsed JSON, found with an explicit stack. Such a key is an own property
 * after JSON.parse, but any copy of the object (zod's included) turns it into a prototype change and silently drops
 * it, so it is refused instead. Other names (`constructor`, `prototype`, `toString`) are ordinary keys and are stored.
 */
const prototypeKeys = (root: unknown): string[] => {
  const found: string[] = [];
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: root, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== 'object') continue;
    for (const key of Object.keys(value)) {
      if (key === '__proto__') found.push([...path, key].join('.'));
      else stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return found;
};

/**
 * Parses JSON text that arrived in a request: nesting beyond {@link MAX_JSON_DEPTH} is a ValidationError naming
 * `body`, text that is not JSON an InvalidJsonError, a `__proto__` key a ValidationError naming where it is.
 */
export const parseJsonText = (text: string): unknown => {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ValidationError([{ field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidJsonError('The request body is not valid JSON (field: body)');
  }
  const forbidden = prototypeKeys(value);
  if (forbidden.length > 0) {
    throw new ValidationError(forbidden.map((field) => ({ field, message: '"__proto__" is not allowed as a key' })));
  }
  return value;
};

/** What a JSON route reads of its event. */
export type JsonRequest = Pick<APIGatewayProxyEventV2, 'headers'> & { body?: string; isBase64Encoded?: boolean };

/**
 * Reads a JSON route's body: checks `Content-Type` (UnsupportedMediaTypeError, 415), decodes base64 as API Gateway
 * delivers it, parses with {@link parseJsonText} and then with `schema` (ValidationError naming each bad field).
 * An empty body is `whenEmpty` when given (a route whose every field is optional), else not JSON.
 */
export const parseJsonBody = <S extends z.ZodType>(
  schema: S,
  request: JsonRequest,
  options: { whenEmpty?: unknown } = {},
): z.infer<S> => {
  const { body, isBase64Encoded } = request;
  const text = body === undefined ? '' : isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  const value = text === '' && 'whenEmpty' in options ? options.whenEmpty : parseBody(request, text);
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error));
  return result.data;
};

const parseBody = (request: JsonRequest, text: string): unknown => {
  requireContentType(request, 'json');
  return parseJsonText(text);
};
