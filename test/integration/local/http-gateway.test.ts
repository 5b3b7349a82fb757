import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { localAuthorizer } from '#local/auth/local-authorizer';
import { type GatewayRoute, startHttpGateway } from '#local/lambda/http-gateway';
import { silentLogger } from '#local/local-logger';

const TOKEN = 'test-token-123';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Seen = { event: APIGatewayProxyEventV2; context: Context };

async function gatewayWith(routes: GatewayRoute[]) {
  const authorize = localAuthorizer({}, TOKEN);
  const gateway = await startHttpGateway({ routes, authorize, timeoutMs: 500, logger: silentLogger });
  cleanups.push(gateway.close);
  return gateway;
}

function recordingRoute(method: string, path: string, seen: Seen[], extra: Partial<GatewayRoute> = {}): GatewayRoute {
  return {
    method,
    path,
    handler: async (event, context) => {
      seen.push({ event, context });
      return { statusCode: 202, headers: { 'Content-Type': 'application/json' }, body: '{"accepted":true}' };
    },
    ...extra,
  };
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string } };
  return body.error.code;
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('HTTP gateway', () => {
  it('feeds the handler a payload v2.0 event that the Powertools schema accepts', async () => {
    // Prepare
    const seen: Seen[] = [];
    const gateway = await gatewayWith([recordingRoute('POST', '/v1/clones/{jobId}', seen)]);

    // Act
    const response = await fetch(`${gateway.url}/v1/clones/job%201?a=1&a=2&b=x`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'X-Custom': 'Yes' },
      body: '{"source":{"path":"/DC0/vm/DC0_H0_VM0"}}',
    });

    // Assess
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true });
    const { event, context } = seen[0] ?? expect.fail('handler not called');
    expect(APIGatewayProxyEventV2Schema.safeParse(event).success).toBe(true);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/clones/{jobId}',
      rawPath: '/v1/clones/job%201',
      rawQueryString: 'a=1&a=2&b=x',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x' },
      pathParameters: { jobId: 'job 1' },
      body: '{"source":{"path":"/DC0/vm/DC0_H0_VM0"}}',
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'POST /v1/clones/{jobId}',
        stage: '$default',
        http: { method: 'POST', path: '/v1/clones/job%201', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        // The caller, where API Gateway's authorizers put it: here the stack's own token, `token:default`.
        authorizer: { lambda: { kind: 'token', name: 'default' } },
      },
    });
    expect(event.headers['x-custom']).toBe('Yes');
    expect(event.headers['cookie']).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('rejects a missing or wrong bearer token with 401 and never calls the handler', async () => {
    // Prepare
    const seen: Seen[] = [];
    const gateway = await gatewayWith([recordingRoute('GET', '/v1/clones', seen)]);

    // Act
    const missing = await fetch(`${gateway.url}/v1/clones`);
    const wrong = await fetch(`${gateway.url}/v1/clones`, { headers: { authorization: `Bearer ${TOKEN}x` } });

    // Assess
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(await missing.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(seen).toHaveLength(0);
  });

  it('serves a route marked auth none without a token', async () => {
    // Prepare
    const gateway = await gatewayWith([
      { method: 'GET', path: '/v1/health', auth: 'none', handler: async () => ({ statusCode: 200, body: 'ok' }) },
    ]);

    // Act
    const response = await fetch(`${gateway.url}/v1/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('answers unknown routes, wrong methods and oversized bodies with the API error shape', async () => {
    // Prepare
    const gateway = await gatewayWith([recordingRoute('POST', '/v1/clones', [])]);

    // Act
    const notFound = await fetch(`${gateway.url}/v2/nothing`, { headers: auth });
    const wrongMethod = await fetch(`${gateway.url}/v1/clones`, { method: 'PUT', headers: auth });
    const tooLarge = await fetch(`${gateway.url}/v1/clones`, {
      method: 'POST',
      headers: auth,
      body: 'x'.repeat(1024 * 1024 + 1),
    });

    // Assess
    expect(notFound.status).toBe(404);
    expect(await errorCode(notFound)).toBe('NOT_FOUND');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await errorCode(wrongMethod)).toBe('METHOD_NOT_ALLOWED');
    expect(tooLarge.status).toBe(413);
    expect(await errorCode(tooLarge)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('turns a handler throw into a 500 that does not leak the message', async () => {
    // Prepare
    const gateway = await gatewayWith([
      {
        method: 'GET',
        path: '/boom',
        handler: async () => {
          throw new Error('secret database password in stack');
        },
      },
    ]);

    // Act
    const response = await fetch(`${gateway.url}/boom`, { headers: auth });
    const text = await response.text();

    // Assess
    expect(response.status).toBe(500);
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
    expect(text).not.toContain('secret');
  });

  it('maps string results, cookies and base64 bodies back to HTTP', async () => {
    // Prepare
    const gateway = await gatewayWith([
      { method: 'GET', path: '/text', handler: async () => '{"plain":1}' },
      {
        method: 'GET',
        path: '/bin',
        handler: async () => ({
          statusCode: 201,
          cookies: ['a=1', 'b=2'],
          headers: { 'content-type': 'application/octet-stream' },
          body: Buffer.from([1, 2, 3]).toString('base64'),
          isBase64Encoded: true,
        }),
      },
    ]);

    // Act
    const text = await fetch(`${gateway.url}/text`, { headers: auth });
    const bin = await fetch(`${gateway.url}/bin`, { headers: auth });

    // Assess
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.json()).toEqual({ plain: 1 });
    expect(bin.status).toBe(201);
    expect(bin.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...new Uint8Array(await bin.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('answers 504 when the handler outlives the timeout', async () => {
    // Prepare
    const gateway = await gatewayWith([
      { method: 'GET', path: '/slow', handler: () => new Promise((resolve) => setTimeout(() => resolve('late'), 800)) },
    ]);

    // Act
    const response = await fetch(`${gateway.url}/slow`, { headers: auth });

    // Assess
    expect(response.status).toBe(504);
    expect(await errorCode(response)).toBe('TIMEOUT');
  });
});
