import * as z from 'zod';
import { ValidationError } from '../../errors/app-error.js';
import { toFieldIssues } from '../../errors/field-issues.js';
import { JOB_STATUSES } from '../model/clone-job.js';
import type { ListClonesQuery } from '../use-cases/list-clones.js';

/** Query string of `GET /v1/clones`: `status`, `label=key=value`, `cursor`, `limit` (1-100, default 50). */
export const ListQuerySchema = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    label: z
      .string()
      .regex(/^[^=]+=.*$/, 'must be key=value')
      .transform((s) => ({ key: s.slice(0, s.indexOf('=')), value: s.slice(s.indexOf('=') + 1) }))
      .optional(),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

/** Parses the query parameters; rejects with ValidationError naming each bad parameter. */
export const parseListQuery = (params: Record<string, string | undefined> = {}): ListClonesQuery => {
  const result = ListQuerySchema.safeParse(params);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error, 'query'));
  const { status, label, cursor, limit } = result.data;
  return { limit, ...(status && { status }), ...(label && { label }), ...(cursor && { cursor }) };
};
