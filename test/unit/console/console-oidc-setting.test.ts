import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildDeps, configSchema, makeHandler } from '#functions/console/make-handler';
import { loadConfig } from '#shared/config/load-config';
import { ConsoleConfigSchema } from '#shared/console/config';
import { type ConsoleOidc, consoleIssuerProblem, issuerOriginsOf } from '#shared/console/model/console-oidc';

const oidcSetting = (doc: Record<string, unknown>) =>
  loadConfig(ConsoleConfigSchema, { INSTACLONE_CONSOLE_OIDC: JSON.stringify(doc) }).INSTACLONE_CONSOLE_OIDC;
const base = { version: '1', issuer: 'https://login.example.com', clientId: 'instaclone-console' };

describe('Setting: INSTACLONE_CONSOLE_OIDC', () => {
  it('is absent by default: the console asks for a token', () => {
    // Act
    const config = loadConfig(ConsoleConfigSchema, {});
    // Assess
    expect(config.INSTACLONE_CONSOLE_OIDC).toBeUndefined();
  });

  it('takes an issuer and a client id, with openid, email and profile as the default scopes', () => {
    // Act
    const oidc = oidcSetting(base);
    // Assess
    expect(oidc).toEqual({ ...base, scopes: ['openid', 'email', 'profile'] });
  });

  it.each([
    [{ ...base, version: '2' }, 'INSTACLONE_CONSOLE_OIDC: version'],
    [{ ...base, issuer: 'http://login.example.com' }, 'issuer: must be https (plain http only on a loopback address)'],
    [{ ...base, clientId: '' }, 'clientId'],
    [{ ...base, scopes: ['email'] }, 'scopes: must include "openid"'],
    [{ ...base, scopes: ['openid', 'two words'] }, 'scopes.1: is not a scope token'],
    [{ ...base, clientSecret: 'never in a browser' }, 'Unrecognized key: "clientSecret"'],
  ])('refuses %j naming the field', (doc, message) => {
    // Act + Assess
    expect(() => oidcSetting(doc)).toThrow(message);
  });

  it('refuses text that is not JSON', () => {
    // Act + Assess
    expect(() => loadConfig(ConsoleConfigSchema, { INSTACLONE_CONSOLE_OIDC: '{issuer:' })).toThrow(
      'INSTACLONE_CONSOLE_OIDC: is not JSON',
    );
  });

  it('accepts plain http for a loopback issuer (npm start and the tests run their own)', () => {
    // Act
    const oidc = oidcSetting({ ...base, issuer: 'http://127.0.0.1:9999' });
    // Assess
    expect(oidc?.issuer).toBe('http://127.0.0.1:9999');
  });
});

describe('Model: the console issuer against the access policy', () => {
  const oidc = oidcSetting(base) as ConsoleOidc;

  it('admits an issuer the policy lists with the client id as audience', () => {
    // Act + Assess
    expect(consoleIssuerProblem(oidc, [{ issuer: base.issuer, audience: base.clientId }])).toBeUndefined();
  });

  it('names the issuer when the policy does not list it', () => {
    // Act
    const problem = consoleIssuerProblem(oidc, [{ issuer: 'https://other.example.com', audience: base.clientId }]);
    // Assess
    expect(problem).toEqual({ field: 'issuer', message: expect.stringContaining('not among the access policy') });
  });

  it('names the client id when the policy expects another audience (the ID token’s aud is the client id)', () => {
    // Act
    const problem = consoleIssuerProblem(oidc, [{ issuer: base.issuer, audience: 'api://instaclone' }]);
    // Assess
    expect(problem).toEqual({ field: 'clientId', message: expect.stringContaining('"api://instaclone"') });
  });

  it('lets the page fetch the issuer’s origin and a token endpoint on another origin, nothing else', () => {
    // Act
    const origins = issuerOriginsOf({ ...oidc, tokenEndpoint: 'https://tokens.example.net/oauth2/token' });
    // Assess
    expect(origins).toEqual(['https://login.example.com', 'https://tokens.example.net']);
    expect(issuerOriginsOf(undefined)).toEqual([]);
  });
});

describe('Function: console, its settings file and Content-Security-Policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'instaclone-console-unit-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  // The function as deployed: its configuration parsed from the environment, its deps from the adapters factory.
  const handlerFor = (oidc: string | undefined) =>
    makeHandler(
      buildDeps(loadConfig(configSchema, { CONSOLE_ASSETS_DIR: dir, ...(oidc && { INSTACLONE_CONSOLE_OIDC: oidc }) })),
    );
  const get = (oidc: string | undefined, file?: string) =>
    handlerFor(oidc)(
      {
        routeKey: file ? 'GET /console/{file}' : 'GET /',
        rawPath: file ? `/console/${file}` : '/',
        headers: {},
        requestContext: { http: { method: 'GET' } },
        ...(file && { pathParameters: { file } }),
      } as unknown as APIGatewayProxyEventV2,
      { getRemainingTimeInMillis: () => 5000, functionName: 'console', awsRequestId: 'unit' } as Context,
    );
  const bodyOf = (res: { body?: string }) => JSON.parse(Buffer.from(res.body ?? '', 'base64').toString());

  it('tells the page to sign in with OIDC, and lets it fetch from the issuer only', async () => {
    // Prepare
    const oidc = JSON.stringify({ ...base, name: 'Example SSO' });
    // Act
    const settings = await get(oidc, 'config.json');
    const page = await get(oidc);
    // Assess
    expect(bodyOf(settings)).toEqual({
      version: '1',
      oidc: {
        issuer: base.issuer,
        clientId: base.clientId,
        scopes: ['openid', 'email', 'profile'],
        name: 'Example SSO',
      },
    });
    expect(page.headers?.['content-security-policy']).toContain("connect-src 'self' https://login.example.com;");
  });

  it('tells the page to ask for a token, and lets it fetch from its own origin only, without OIDC', async () => {
    // Act
    const settings = await get(undefined, 'config.json');
    const page = await get(undefined);
    // Assess
    expect(bodyOf(settings)).toEqual({ version: '1' });
    expect(page.headers?.['content-security-policy']).toContain("connect-src 'self';");
  });
});
