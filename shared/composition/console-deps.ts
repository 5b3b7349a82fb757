import { fileURLToPath } from 'node:url';
import { loadConsoleAssets } from '../console/adapters/file-console-assets.js';
import { CONSOLE_SETTINGS_FILE } from '../console/api/console-routes.js';
import { BUNDLED_CONSOLE_DIR } from '../console/config.js';
import { type ConsoleOidc, consoleSettingsOf } from '../console/model/console-oidc.js';
import type { ConsoleAssets } from '../console/ports/console-assets.js';
import { family } from './family.js';

/** The console's built files, read once into memory, and its OIDC sign-in (undefined: the token form). */
export type ConsoleDeps = { readonly consoleAssets: ConsoleAssets; readonly consoleOidc: ConsoleOidc | undefined };

/**
 * From `CONSOLE_ASSETS_DIR` (locally: the folder `npm start` built into) or else the `console` folder beside the
 * bundled handler, where CDK's bundling builds it (this module is inside that one-file bundle, so its URL is the
 * handler's), plus `config.json` made from `INSTACLONE_CONSOLE_OIDC`. Throws on first use when the folder cannot be
 * read.
 */
export const consoleFamily = family<ConsoleDeps>((config) => ({
  consoleAssets: () =>
    loadConsoleAssets(
      config.CONSOLE_ASSETS_DIR ?? fileURLToPath(new URL(`./${BUNDLED_CONSOLE_DIR}`, import.meta.url)),
      { [CONSOLE_SETTINGS_FILE]: JSON.stringify(consoleSettingsOf(config.INSTACLONE_CONSOLE_OIDC)) },
    ),
  consoleOidc: () => config.INSTACLONE_CONSOLE_OIDC,
}));
