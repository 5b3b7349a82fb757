import { loadConfig } from '#shared/config/load-config';
import { buildDeps, configSchema, makeHandler } from './make-handler.js';

/** Lambda entry: built once per container (cold start) from the function's environment. */
export const handler = makeHandler(buildDeps(loadConfig(configSchema, process.env)));
