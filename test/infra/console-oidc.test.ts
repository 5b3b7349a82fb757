import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV } from '#shared/config/env-keys';
import { devStageWith, resourcesOfType, synthStage } from './helpers/stage-app.js';

const SSO = 'https://sso.example.com';
const CONSOLE_OIDC = { version: '1', issuer: SSO, clientId: 'instaclone-console', name: 'Example SSO' };

/** A policy file outside the repository that trusts `issuer` for `audience`. */
const policyTrusting = (issuer: string, audience: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'instaclone-console-policy-')), 'policy.yaml');
  writeFileSync(
    file,
    `version: 1\nissuers:\n  - { issuer: "${issuer}", audience: "${audience}", name: sso }\nrules:\n  - id: people\n    principals: [{ issuer: "${issuer}", claims: { email: "*@example.com" } }]\n    actions: [list, read]\n`,
  );
  return file;
};
const stageWith = (policyFile: string | undefined, oidc: Record<string, unknown> = CONSOLE_OIDC) =>
  devStageWith({ access: policyFile ? { policyFile } : {}, console: { oidc } });

describe('A stage whose console signs in with OIDC', () => {
  const stage = synthStage(stageWith(policyTrusting(SSO, 'instaclone-console')));
  const consoleFunction = resourcesOfType(stage.serviceTemplate, 'AWS::Lambda::Function').find(([id]) =>
    id.startsWith('ConsoleHandler'),
  )?.[1];
  const ssoApiId = resourcesOfType(stage.serviceTemplate, 'AWS::ApiGatewayV2::Api').find(([, api]) =>
    String(api.Name).endsWith('-sso'),
  )?.[0];

  it('gives the console function the setting, parsed and with its defaults', () => {
    // Act
    const variables =
      (consoleFunction?.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
    // Assess
    expect(JSON.parse(variables[ENV.INSTACLONE_CONSOLE_OIDC] ?? '{}')).toEqual({
      ...CONSOLE_OIDC,
      scopes: ['openid', 'email', 'profile'],
    });
  });

  it("serves the console's page on the issuer's API too, where /v1 takes the issuer's JWTs", () => {
    // Act
    const ssoRoutes = resourcesOfType(stage.serviceTemplate, 'AWS::ApiGatewayV2::Route').filter(
      ([, route]) => JSON.stringify(route.ApiId) === JSON.stringify({ Ref: ssoApiId }),
    );
    const keyed = (key: string) => ssoRoutes.find(([, route]) => route.RouteKey === key)?.[1];
    // Assess
    expect(keyed('GET /')?.AuthorizationType).toBe('NONE');
    expect(keyed('GET /console/{file}')?.AuthorizationType).toBe('NONE');
    expect(keyed('GET /v1/clones')?.AuthorizationType).toBe('JWT');
    expect(stage.messages.filter((message) => message.level === 'error')).toEqual([]);
  });

  it("prints the console's URL on the issuer's API, the redirect URI to register", () => {
    // Act
    const outputs = Object.values(stage.serviceTemplate.findOutputs('*')).filter((output) =>
      String(output.Description).startsWith('The web console'),
    );
    // Assess
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [ssoApiId, 'ApiEndpoint'] }, '/']] });
    expect(outputs[0]?.Description).toContain('redirect URI');
  });
});

describe('A stage whose console issuer the API would refuse', () => {
  it('is refused at synthesis when the policy does not list the issuer, naming console.oidc.issuer', () => {
    // Act / Assess
    expect(() => synthStage(stageWith(policyTrusting('https://other.example.com', 'instaclone-console')))).toThrow(
      /console\.oidc\.issuer: https:\/\/sso\.example\.com is not among the access policy's issuers/,
    );
  });

  it('is refused when the client id is not the audience the policy expects, naming console.oidc.clientId', () => {
    // Act / Assess
    expect(() => synthStage(stageWith(policyTrusting(SSO, 'api://instaclone')))).toThrow(/console\.oidc\.clientId: /);
  });

  it('is refused when the stage has no policy at all', () => {
    // Act / Assess
    expect(() => synthStage(stageWith(undefined))).toThrow(/console\.oidc\.issuer: .*no access\.policyFile/);
  });

  it('is refused by the stage schema when it carries a client secret, naming the key', () => {
    // Act / Assess
    expect(() => stageWith(undefined, { ...CONSOLE_OIDC, clientSecret: 's3cret' })).toThrow(
      /console\.oidc: Unrecognized key: "clientSecret"/,
    );
  });
});
