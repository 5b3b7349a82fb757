import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ConsoleAsset, ConsoleAssets } from '../ports/console-assets.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The console files of one folder (a build's output: beside the handler in its Lambda bundle, or the folder
 * `npm start` built into), read once into memory with their ETag and gzip form, plus `extra` files made at start
 * (the page's `config.json`; they win over the folder's). Files of an unknown type are left out, so nothing but the
 * console is ever served. Throws when the folder cannot be read.
 */
export function loadConsoleAssets(dir: string, extra: Readonly<Record<string, string>> = {}): ConsoleAssets {
  const assets = new Map<string, ConsoleAsset>();
  const files: [string, () => Uint8Array][] = [
    ...readdirSync(dir).map((name): [string, () => Uint8Array] => [name, () => readFileSync(join(dir, name))]),
    ...Object.entries(extra).map(([name, text]): [string, () => Uint8Array] => [name, () => Buffer.from(text)]),
  ];
  for (const [name, read] of files) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const body = read();
    const gzip = gzipSync(body, { level: 9 });
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(name, { contentType, body, etag, ...(gzip.length < body.length && { gzip }) });
  }
  return { get: (name) => assets.get(name) };
}
