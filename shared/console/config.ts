import * as z from 'zod';
import { jsonSetting } from '../config/json-setting.js';
import { ConsoleOidcSchema } from './model/console-oidc.js';

/**
 * The console function's settings.
 * - `CONSOLE_ASSETS_DIR`: the folder of built console files; on AWS it is unset and the files sit beside the handler
 *   in its bundle (CDK's bundling builds them there), locally `npm start` builds them into a temporary folder.
 * - `INSTACLONE_CONSOLE_OIDC`: OIDC sign-in, a `ConsoleOidcSchema` document as JSON; absent: the token form.
 */
export const ConsoleConfigSchema = z.object({
  CONSOLE_ASSETS_DIR: z.string().min(1).optional(),
  INSTACLONE_CONSOLE_OIDC: jsonSetting(ConsoleOidcSchema),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;

/** Name of the folder, beside the bundled handler, that holds the console's files. */
export const BUNDLED_CONSOLE_DIR = 'console';
