import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const WEB_DIR = join(import.meta.dirname, '..', 'web');

/** The files a console build writes, flat in one folder: what `functions/console` serves. */
export const CONSOLE_FILES = ['index.html', 'app.js', 'app.css'] as const;

export type ConsoleBuild = { dir: string; bytes: Record<string, number> };

/**
 * Builds the console (Preact + TSX under `shared/console/web`) into `outDir`: `app.js` and `app.css` bundled and
 * minified by esbuild for current browsers, `index.html` copied. Everything the page loads is in that folder (no
 * CDN). Nothing generated is committed: `npm start`, the tests and CDK's bundling each build on demand (about
 * 100 ms). Rejects with esbuild's error when a source does not compile.
 */
export async function buildConsoleAssets(outDir: string): Promise<ConsoleBuild> {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(WEB_DIR, 'main.tsx') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: outDir,
    logLevel: 'silent',
  });
  const bytes: Record<string, number> = {};
  for (const file of result.outputFiles) {
    await writeFile(file.path, file.contents);
    bytes[file.path.slice(outDir.length + 1)] = file.contents.length;
  }
  await copyFile(join(WEB_DIR, 'index.html'), join(outDir, 'index.html'));
  return { dir: outDir, bytes };
}
