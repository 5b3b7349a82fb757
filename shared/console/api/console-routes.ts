import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import type { ConsoleAssets } from '../ports/console-assets.js';

/** Route keys of the console's files. Public: they hold no data; every datum comes from the authenticated v1 API. */
export const CONSOLE_ROUTE_KEYS = { page: 'GET /', file: 'GET /console/{file}' } as const;

/** The page's own settings (how to sign in), answered beside its files by `GET /console/{file}`. */
export const CONSOLE_SETTINGS_FILE = 'config.json';

/**
 * The page may load only its own files and talk only to its own origin (the v1 API) and, when it signs in with OIDC,
 * to the issuer's origins (discovery and token endpoint: `issuerOrigins`); it cannot be framed. A token in the URL
 * fragment never reaches a server, and `no-referrer` keeps the page's address (and a sign-in's code) out of other
 * requests.
 */
const securityHeaders = (issuerOrigins: readonly string[]) => ({
  'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src ${["'self'", ...issuerOrigins].join(' ')}; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

const serve = (
  assets: ConsoleAssets,
  name: string,
  event: APIGatewayProxyEventV2,
  security: Record<string, string>,
): APIGatewayProxyStructuredResultV2 => {
  const asset = assets.get(name);
  if (!asset) return jsonResponse(404, { error: { code: 'NOT_FOUND', message: `No console file ${name}` } });
  // Small files, changed by every deployment: revalidate each time, a 304 costs no body.
  const headers = { ...security, 'cache-control': 'no-cache', etag: asset.etag, vary: 'accept-encoding' };
  if (event.headers['if-none-match'] === asset.etag) return { statusCode: 304, headers };
  const gzip = asset.gzip && /\bgzip\b/.test(event.headers['accept-encoding'] ?? '') ? asset.gzip : undefined;
  return {
    statusCode: 200,
    headers: { ...headers, 'content-type': asset.contentType, ...(gzip && { 'content-encoding': 'gzip' }) },
    body: Buffer.from(gzip ?? asset.body).toString('base64'),
    isBase64Encoded: true,
  };
};

/**
 * `GET /` answers the console's page; `GET /console/{file}` one of its files (`app.js`, `app.css`, `config.json`:
 * the page's settings), 404 for any other name. `issuerOrigins`: where an OIDC sign-in fetches (none: token form).
 */
export const makeConsoleRoutes = (
  assets: ConsoleAssets,
  issuerOrigins: readonly string[] = [],
): Record<string, Route> => {
  const security = securityHeaders(issuerOrigins);
  return {
    [CONSOLE_ROUTE_KEYS.page]: async (event) => serve(assets, 'index.html', event, security),
    [CONSOLE_ROUTE_KEYS.file]: async (event) => serve(assets, event.pathParameters?.file ?? '', event, security),
  };
};
