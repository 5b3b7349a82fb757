import type { z } from 'zod';
import type { FieldIssue } from './app-error.js';

/**
 * Flattens zod issues into `{ field, message }` pairs; the field is the dotted path (`nics.0.mac`), or `body` at the
 * root. `place` names where the input came from: unknown keys of a query string are each named as a query parameter
 * (`{ field: 'source', message: 'is not a query parameter of this route' }`), never as part of a body.
 */
export const toFieldIssues = (error: z.ZodError, place: 'body' | 'query' = 'body'): FieldIssue[] =>
  error.issues.flatMap((issue): FieldIssue[] => {
    if (place === 'query' && issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: 'is not a query parameter of this route' }));
    }
    // A query parameter is a list of the values it was given; the parameter, not the index, is what to name.
    const path = place === 'query' ? issue.path.slice(0, 1) : issue.path;
    return [
      {
        field: path.length > 0 ? path.map(String).join('.') : place,
        message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
      },
    ];
  });
