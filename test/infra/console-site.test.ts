import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSite } from '#infra/constructs/console-site';
import { FUNCTIONS_DIR } from '#infra/paths';

// Bundles the real console function as `cdk synth` does (esbuild, then the console build in `afterBundling`).
const outdir = mkdtempSync(join(tmpdir(), 'instaclone-console-bundle-'));
const app = new App({ outdir, builtinCloudFormationValidation: false });
const stack = new Stack(app, 'ConsoleProbe');
new ConsoleSite(stack, 'Console', {
  entry: join(FUNCTIONS_DIR, 'console', 'handler.ts'),
  gateways: [{ api: new HttpApi(stack, 'Api'), idPrefix: '', callers: new HttpIamAuthorizer(), main: true }],
  logRetention: RetentionDays.ONE_DAY,
  logLevel: 'INFO',
});
const assembly = app.synth();
const [assetDir = ''] = readdirSync(assembly.directory)
  .filter((name) => name.startsWith('asset.'))
  .map((name) => join(assembly.directory, name));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type Handler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
const request = (routeKey: string, file?: string) =>
  ({
    routeKey,
    rawPath: file ? `/console/${file}` : '/',
    headers: {},
    requestContext: { http: { method: 'GET' } },
    isBase64Encoded: false,
    ...(file && { pathParameters: { file } }),
  }) as unknown as APIGatewayProxyEventV2;
const context = { getRemainingTimeInMillis: () => 5000, functionName: 'console', awsRequestId: 'probe' };

describe('Console function bundling', () => {
  it('puts the built console beside the handler', () => {
    // Assess
    expect(readdirSync(join(assetDir, 'console')).sort()).toEqual(['app.css', 'app.js', 'index.html']);
  });

  it('serves the page and its script from its own bundle', async () => {
    // Prepare
    const { handler } = (await import(join(assetDir, 'index.mjs'))) as { handler: Handler };
    // Act
    const page = await handler(request('GET /'), context);
    const script = await handler(request('GET /console/{file}', 'app.js'), context);
    // Assess
    expect(page.statusCode).toBe(200);
    expect(Buffer.from(page.body ?? '', 'base64').toString()).toContain('src="console/app.js"');
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
  });
});
