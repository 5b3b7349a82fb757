import type { z } from 'zod';
import { ConfigError } from '../errors/app-error.js';

/**
 * Parses configuration (usually `process.env`) once at cold start and freezes it.
 * Rejects with ConfigError naming every missing or invalid key, so a bad deploy fails loudly at start.
 */
export const loadConfig = <S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
): Readonly<z.infer<S>> => {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
};
