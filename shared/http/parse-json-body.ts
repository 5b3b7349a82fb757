import type { z } from 'zod';
import { InvalidJsonError, ValidationError } from '../errors/app-error.js';
import { toFieldIssues } from '../errors/field-issues.js';

/**
 * Paths of `__proto__` keys anywhere in parsed JSON. Such a key is an own property after JSON.parse, but any copy of
 * the object (zod's included) turns it into a prototype change and silently drops it, so it is refused instead.
 */
const prototypeKeys = (value: unknown, path: string[] = []): string[] => {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) =>
    key === '__proto__'
      ? [[...path, key].join('.')]
      : prototypeKeys((value as Record<string, unknown>)[key], [...path, key]),
  );
};

/**
 * Parses an HTTP body as JSON and then with `schema`.
 * Rejects with InvalidJsonError when it is not JSON, ValidationError naming each bad field otherwise.
 */
export const parseJsonBody = <S extends z.ZodType>(
  schema: S,
  body: string | undefined,
  isBase64 = false,
): z.infer<S> => {
  const text = body === undefined ? '' : isBase64 ? Buffer.from(body, 'base64').toString('utf8') : body;
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
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error));
  return result.data;
};
