import type { z } from 'zod';
import { InvalidJsonError, ValidationError } from '../domain/errors.js';
import { toFieldIssues } from '../domain/field-issues.js';

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
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error));
  return result.data;
};
