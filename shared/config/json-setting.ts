import * as z from 'zod';

/**
 * A setting that holds a JSON document of `schema` (e.g. `INSTACLONE_CONSOLE_OIDC`): undefined when absent or empty,
 * the parsed document otherwise. Text that is not JSON, or a document `schema` refuses, fails the configuration
 * naming each problem by its path inside the document.
 */
export const jsonSetting = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .optional()
    .transform((json, ctx): z.infer<S> | undefined => {
      if (!json) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not JSON' });
        return z.NEVER;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(document)'}: ${issue.message}` });
      return z.NEVER;
    });
