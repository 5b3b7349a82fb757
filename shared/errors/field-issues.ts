import type { z } from 'zod';
import type { FieldIssue } from './app-error.js';

/** Flattens zod issues into `{ field, message }` pairs; the field is the dotted path (`nics.0.mac`), or `body` at the root. */
export const toFieldIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
