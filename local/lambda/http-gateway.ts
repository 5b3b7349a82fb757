import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { isAppError } from '#shared/errors/app-error';
import { policyFor } from '#shared/errors/error-policy';
import { consoleLogger, type LocalLogger } from '../local-logger.js';
import { toApiGatewayV2Event } from './api-gateway-v2-event.js';
import { makeLambdaContext } from './lambda-context.js';
import { makeRouteTable } from './route-table.js';

export type GatewayRoute = {
  /** HTTP method, or `ANY`. */
  method: string;
  /** Route template, e.g. `/v1/clones/{jobId}`. */
  path: string;
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
  /** `bearer` (default): the request must pass `authorize`. `none`: public or signed by its sender. */
  auth?: 'bearer' | 'none';
  /** Function name in the Lambda context; defaults to the route key. */
  functionName?: string;
};

export type HttpGatewayOptions = {
  /** Default 0 (a free port). */
  port?: number;
  /** Default `127.0.0.1`; the gateway is a development tool and never listens on public interfaces unasked. */
  host?: string;
  routes: GatewayRoute[];
  /**
   * Authenticates a `bearer` route's request from its `Authorization` header, as API Gateway's authorizers do, and
   * answers what goes into `requestContext.authorizer`. Rejects with an AppError (its code's status is the answer:
   * 401 for bad credentials, 503 when an issuer cannot be reached).
   */
  authorize: (authorization: string | undefined) => Promise<Record<string, unknown>>;
  /** Lambda timeout per invocation (the context deadline and the 504 cut-off). Default 29 s, API Gateway's limit. */
  timeoutMs?: number;
  logger?: LocalLogger;
};

export type HttpGateway = {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
};

/** Largest request body accepted, as API Gateway's payload limit would (rounded to 1 MiB here). */
export const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 29_000;

/**
 * Serves Lambda handlers over HTTP as an API Gateway HTTP API would, feeding them payload v2.0 events
 * and mapping their results back. Errors use the API's shape `{ error: { code, message } }`:
 * 404 NOT_FOUND (no route), 405 METHOD_NOT_ALLOWED, 417 EXPECTATION_FAILED (an `Expect` other than 100-continue),
 * 401 UNAUTHORIZED (`authorize` refused the credentials; the message says why), 413 PAYLOAD_TOO_LARGE (> 1 MiB),
 * 500 INTERNAL (handler threw; the message is logged, never sent), 504 TIMEOUT (handler outlived `timeoutMs`; it
 * keeps running).
 *
 * Deviations from AWS: bearer tokens (named tokens, OIDC JWTs) stand in for IAM and the JWT authorizer, and the
 * principal reaches the handler in `requestContext.authorizer` as AWS would put it; 405 instead of API Gateway's 404
 * for a wrong method.
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const logger = options.logger ?? consoleLogger;
  const findRoute = makeRouteTable(options.routes);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = findRoute(req.method ?? 'GET', path);
    if (match.kind === 'not-found') return sendError(res, 404, 'NOT_FOUND', `no route for ${path}`);
    if (match.kind === 'method-not-allowed') {
      res.setHeader('allow', match.allowed.join(', '));
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
    }
    let authorizer: Record<string, unknown> | undefined;
    if (match.route.auth !== 'none') {
      try {
        authorizer = await options.authorize(req.headers.authorization);
      } catch (err) {
        const status = isAppError(err) ? policyFor(err.code).status : 500;
        if (status === 401) res.setHeader('www-authenticate', 'Bearer');
        if (status >= 500) logger.warn('gateway could not authenticate a request', { error: String(err) });
        const message = isAppError(err) && status < 500 ? err.message : 'try again later';
        return sendError(res, status, status === 401 ? 'UNAUTHORIZED' : 'UNAVAILABLE', message);
      }
    }
    const body = await readBody(req);
    if (!body) {
      res.setHeader('connection', 'close');
      return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    const event = toApiGatewayV2Event(req, { ...match, body, now: new Date() });
    if (authorizer) Object.assign(event.requestContext, { authorizer });
    const functionName = match.route.functionName ?? match.routeKey;
    const context = makeLambdaContext({ functionName, timeoutMs });
    res.setHeader('apigw-requestid', event.requestContext.requestId);
    const outcome = await invokeWithTimeout(() => match.route.handler(event, context), timeoutMs);
    if (outcome.kind === 'timeout') {
      logger.error('gateway handler timed out', { routeKey: match.routeKey, timeoutMs });
      return sendError(res, 504, 'TIMEOUT', 'the request took too long');
    }
    if (outcome.kind === 'error') {
      logger.error('gateway handler threw', { routeKey: match.routeKey, error: outcome.error });
      return sendError(res, 500, 'INTERNAL', 'internal error');
    }
    sendResult(res, outcome.result);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      logger.error('gateway request failed', { error });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal error');
      else res.destroy();
    });
  });
  // Node answers other expectations with a bare 417; this gives it the API's error body like every other refusal.
  server.on('checkExpectation', (_req, res: ServerResponse) =>
    sendError(res, 417, 'EXPECTATION_FAILED', 'only "Expect: 100-continue" is supported'),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

type Outcome =
  | { kind: 'result'; result: APIGatewayProxyResultV2 }
  | { kind: 'error'; error: unknown }
  | { kind: 'timeout' };

async function invokeWithTimeout(invoke: () => Promise<APIGatewayProxyResultV2>, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  const run = (async (): Promise<Outcome> => {
    try {
      return { kind: 'result', result: await invoke() };
    } catch (error) {
      return { kind: 'error', error };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Maps a payload v2.0 result as API Gateway does: a string, or an object without `statusCode`, is a
 * 200 JSON body; a structured result sets status, headers, `cookies` (as set-cookie) and a body that
 * may be base64.
 */
function sendResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string' || !isStructured(result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name.toLowerCase(), String(value));
  if (result.cookies && result.cookies.length > 0) res.setHeader('set-cookie', result.cookies);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  res.setHeader('content-length', body.length);
  res.statusCode = result.statusCode ?? 200;
  res.end(body);
}

function isStructured(result: unknown): result is APIGatewayProxyStructuredResultV2 {
  return typeof result === 'object' && result !== null && 'statusCode' in result;
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  if (!res.hasHeader('apigw-requestid')) res.setHeader('apigw-requestid', randomUUID());
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The body, or undefined when it is larger than {@link MAX_BODY_BYTES} (the rest is drained, not kept). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    // Don't read a body we will refuse: answer at once and drop the connection afterwards.
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}
