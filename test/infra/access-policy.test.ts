import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadStagePolicy, POLICY_BUNDLE_PATH } from '#infra/access-policy';
import { WARM_POOLS_CONTEXT } from '#infra/stacks/service-stack';
import { policyFromConfig } from '#shared/access/adapters/policy-config';
import { routesOf } from '#shared/composition/service-manifest';
import { devStageWith, resourcesOfType, synthStage } from './helpers/stage-app.js';

const POLICY = 'test/infra/fixtures/access-policy.yaml';
const GITHUB = 'https://token.actions.githubusercontent.com';

/** A policy file outside the repository, for the documents a stage must refuse. */
const policyFile = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'instaclone-policy-test-')), 'policy.yaml');
  writeFileSync(file, text);
  return file;
};

describe('A stage with an access policy', () => {
  const stage = synthStage(devStageWith({ access: { policyFile: POLICY } }), {
    context: { [WARM_POOLS_CONTEXT]: true },
  });
  const apis = resourcesOfType(stage.serviceTemplate, 'AWS::ApiGatewayV2::Api');
  const routes = resourcesOfType(stage.serviceTemplate, 'AWS::ApiGatewayV2::Route');
  const oidcApiId = apis.find(([, api]) => String(api.Name).endsWith('-token-actions-githubusercontent'))?.[0];

  it("gives GitHub's issuer an API of its own whose JWT authorizer checks the issuer and the policy's audience", () => {
    // Assess
    expect(apis).toHaveLength(2);
    expect(oidcApiId).toBeDefined();
    stage.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: oidcApiId },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: GITHUB, Audience: ['instaclone'] },
    });
  });

  it("serves exactly the callers' routes of the API, status and pool functions on the OIDC API, each behind the JWT authorizer", () => {
    // Prepare
    const callers = [...routesOf('clone-api'), ...routesOf('status-api'), ...routesOf('pool-api')].filter(
      (route) => route.auth === 'iam',
    );
    // Act
    const oidcRoutes = routes.filter(([, route]) => JSON.stringify(route.ApiId) === JSON.stringify({ Ref: oidcApiId }));
    // Assess
    expect(oidcRoutes.map(([, route]) => route.RouteKey).sort()).toEqual(callers.map((r) => r.routeKey).sort());
    expect(new Set(oidcRoutes.map(([, route]) => route.AuthorizationType))).toEqual(new Set(['JWT']));
  });

  it('keeps SigV4 on the main API and leaves its public and signed routes where they were', () => {
    // Act
    const mainRoutes = routes.filter(([, route]) => JSON.stringify(route.ApiId) !== JSON.stringify({ Ref: oidcApiId }));
    // Assess
    expect(mainRoutes.length).toBeGreaterThan(0);
    expect(new Set(mainRoutes.map(([, route]) => route.AuthorizationType))).toEqual(new Set(['AWS_IAM', 'NONE']));
  });

  it('bundles the policy into every function that decides and names it in INSTACLONE_POLICY_FILE', () => {
    // Act
    const withPolicy = resourcesOfType(stage.serviceTemplate, 'AWS::Lambda::Function').filter(
      ([, fn]) =>
        (fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.INSTACLONE_POLICY_FILE ===
        POLICY_BUNDLE_PATH,
    );
    // Assess: the API, the worker, the status, the pool API and the reconciler (the dev stage leaves the hooks off)
    expect(withPolicy.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'CloneApiHandlerFunction',
      'CloneWorkerFunction',
      'ReconcilerHandlerFunction',
      'StatusApiHandlerFunction',
      'WarmPoolsApiFunction',
    ]);
  });

  it("prints the OIDC API's URL and passes cdk-nag with no new acknowledgement", () => {
    // Assess
    stage.serviceTemplate.hasOutput('*', {
      Description: Match.stringLikeRegexp(`OIDC tokens of ${GITHUB} \\(audience instaclone\\)`),
    });
    expect(stage.messages.filter((message) => message.level === 'error')).toEqual([]);
  });
});

describe('A stage whose policy API Gateway cannot serve', () => {
  const stageWith = (text: string) => () => synthStage(devStageWith({ access: { policyFile: policyFile(text) } }));
  const rule = `rules:\n  - id: admins\n    principals: [{ arn: "arn:aws:iam::123456789012:role/admin" }]\n    actions: [admin]\n`;

  it('is refused at synthesis when an issuer is plain http (a loopback issuer is for npm start)', () => {
    // Act / Assess
    expect(stageWith(`version: 1\nissuers:\n  - { issuer: "http://127.0.0.1:9999", audience: x }\n${rule}`)).toThrow(
      /issuers\.0\.issuer: API Gateway accepts https issuers only/,
    );
  });

  it('is refused when an issuer names its own jwksUri (the JWT authorizer discovers the keys)', () => {
    // Act / Assess
    expect(
      stageWith(
        `version: 1\nissuers:\n  - { issuer: "https://id.example", audience: x, jwksUri: "https://id.example/k" }\n${rule}`,
      ),
    ).toThrow(/issuers\.0\.jwksUri: API Gateway discovers the keys/);
  });

  it("is refused with the lint's finding when a GitHub rule binds no repository", () => {
    // Act / Assess
    expect(
      stageWith(
        `version: 1\nissuers:\n  - { issuer: "${GITHUB}", audience: x }\nrules:\n  - id: any-repo\n    principals: [{ issuer: "${GITHUB}", claims: { ref: refs/heads/main } }]\n    actions: [list]\n`,
      ),
    ).toThrow(/access\.policyFile .*rules\.0/);
  });
});

describe('A stage without a policy', () => {
  const stage = synthStage(devStageWith());

  it('has one API and no function reads a policy', () => {
    // Assess
    expect(resourcesOfType(stage.serviceTemplate, 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(JSON.stringify(stage.serviceTemplate.toJSON())).not.toContain('INSTACLONE_POLICY_FILE');
  });
});

describe('The policy a deployed function reads', () => {
  it('is the stage policy as JSON, which the functions parse back to the same rules and issuers', () => {
    // Prepare
    const stagePolicy = loadStagePolicy(devStageWith({ access: { policyFile: POLICY } }));
    // Act
    const deployed = policyFromConfig({ INSTACLONE_POLICY_FILE: stagePolicy?.jsonFile ?? 'missing' });
    // Assess
    expect(deployed?.policy.rules.map((rule) => rule.id)).toEqual(['platform-admins', 'ci-app']);
    expect(deployed?.policy.issuers).toEqual([{ issuer: GITHUB, audience: 'instaclone' }]);
    expect(stagePolicy?.issuers.map((issuer) => issuer.name)).toEqual(['token-actions-githubusercontent']);
  });
});
