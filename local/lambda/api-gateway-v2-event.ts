import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID } from '../local-aws.js';

/** The API id local events carry; the handlers must not depend on its value. */
export const LOCAL_API_ID = 'local';

export type RequestFacts = {
  routeKey: string;
  pathParameters: Record<string, string>;
  body: Buffer;
  now: Date;
};

/**
 * Turns a node:http request into an API Gateway HTTP API payload v2.0 event, as AWS builds it:
 * lower-case header names with repeated headers comma-joined, the `cookie` header moved to `cookies`,
 * repeated query parameters comma-joined, `pathParameters`/`queryStringParameters`/`cookies`/`body`
 * omitted when empty, and the body base64-encoded unless its content type is textual.
 */
export function toApiGatewayV2Event(req: IncomingMessage, facts: RequestFacts): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rawQuery = (req.url ?? '').split('?')[1] ?? '';
  // Null-prototype maps: a header or parameter named `constructor` or `__proto__` is just a name here.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (name !== 'cookie' && values) headers[name] = values.join(',');
  }
  // API Gateway adds the forwarding headers its own edge would; handlers may log or trust them.
  const sourceIp = normaliseIp(req.socket.remoteAddress);
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const cookies = (req.headersDistinct['cookie'] ?? []).flatMap((line) => line.split(/;\s*/)).filter(Boolean);
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const text = isTextual(headers['content-type']);
  const method = (req.method ?? 'GET').toUpperCase();
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: facts.routeKey,
    rawPath,
    rawQueryString: rawQuery,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: (headers['host'] ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: facts.routeKey,
      stage: '$default',
      time: formatClfTime(facts.now),
      timeEpoch: facts.now.getTime(),
    },
    isBase64Encoded: facts.body.length > 0 && !text,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (Object.keys(facts.pathParameters).length > 0) event.pathParameters = facts.pathParameters;
  if (facts.body.length > 0) event.body = text ? facts.body.toString('utf8') : facts.body.toString('base64');
  return event;
}

/** API Gateway passes these through as text; everything else arrives base64-encoded. */
function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  const type = contentType.toLowerCase();
  return (
    type.startsWith('text/') || /[/+](json|xml|javascript|x-www-form-urlencoded)\b/.test(type) || type.includes('yaml')
  );
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the access-log time format API Gateway uses in `requestContext.time`. */
export function formatClfTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = pad(date.getUTCDate());
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${clock} +0000`;
}
