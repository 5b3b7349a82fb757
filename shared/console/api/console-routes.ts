import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import type { ConsoleAssets } from '../ports/console-assets.js';

/** Route keys of the console's files. Public: they hold no data; every datum comes from the authenticated v1 API. */
export const CONSOLE_ROUTE_KEYS = { page: 'GET /', file: 'GET /console/{file}' } as const;

/**
 * The page may load only its own files and talk only to its own origin (the v1 API); it cannot be framed. A token
 * in the URL fragment never reaches a server, and `no-referrer` keeps the page's address out of other requests.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const serve = (
  assets: ConsoleAssets,
  name: string,
  event: APIGatewayProxyEventV2,
): APIGatewayProxyStructuredResultV2 => {
  const asset = assets.get(name);
  if (!asset) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No console file ${name}` } });
  // Small files, changed by every deployment: revalidate each time, a 304 costs no body.
  const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-cache', etag: asset.etag, vary: 'accept-encoding' };
  if (event.headers['if-none-match'] === asset.etag) return { statusCode: 304, headers };
  const gzip = asset.gzip && /\bgzip\b/.test(event.headers['accept-encoding'] ?? '') ? asset.gzip : undefined;
  return {
    statusCode: 200,
    headers: { ...headers, 'content-type': asset.contentType, ...(gzip && { 'content-encoding': 'gzip' }) },
    body: Buffer.from(gzip ?? asset.body).toString('base64'),
    isBase64Encoded: true,
  };
};

/** `GET /` answers the console's page; `GET /console/{file}` one of its files (404 for any other name). */
export const makeConsoleRoutes = (assets: ConsoleAssets): Record<string, Route> => ({
  [CONSOLE_ROUTE_KEYS.page]: async (event) => serve(assets, 'index.html', event),
  [CONSOLE_ROUTE_KEYS.file]: async (event) => serve(assets, event.pathParameters?.file ?? '', event),
});
