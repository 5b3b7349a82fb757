import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '#shared/access/model/access-errors';
import { oidcPrincipal, tokenPrincipal } from '#shared/access/model/principal';
import { authorizerContextOf, principalOfRequest } from '#shared/http/principal-of-request';

const eventWith = (authorizer: unknown) =>
  ({ requestContext: { ...(authorizer !== undefined && { authorizer }) } }) as unknown as APIGatewayProxyEventV2;

describe('API: principal of a request', () => {
  it('takes an IAM caller from API Gateway’s IAM authorizer, with the role of an assumed-role session', () => {
    // Act
    const principal = principalOfRequest(
      eventWith({ iam: { userArn: 'arn:aws:sts::123456789012:assumed-role/ci-deployer/build-7', accountId: '1' } }),
    );
    // Assess
    expect(principal).toEqual({
      id: 'arn:aws:sts::123456789012:assumed-role/ci-deployer/build-7',
      kind: 'iam',
      attributes: {
        arn: 'arn:aws:sts::123456789012:assumed-role/ci-deployer/build-7',
        accountId: '123456789012',
        roleArn: 'arn:aws:iam::123456789012:role/ci-deployer',
        session: 'build-7',
      },
    });
  });

  it('takes an OIDC caller from the JWT authorizer’s claims (strings, as API Gateway passes them)', () => {
    // Act
    const principal = principalOfRequest(
      eventWith({ jwt: { claims: { iss: 'https://idp', sub: 'alice', aud: '[a b]', exp: '1' }, scopes: null } }),
    );
    // Assess
    expect(principal).toMatchObject({ id: 'oidc:https://idp#alice', kind: 'oidc', attributes: { aud: '[a b]' } });
  });

  it('round-trips what the local gateway puts in the request context for each kind it authenticates', () => {
    // Prepare
    const principals = [tokenPrincipal('alice'), oidcPrincipal({ iss: 'https://idp', sub: 'bob', aud: 'x' })];
    // Act
    const roundTripped = principals.map((p) => principalOfRequest(eventWith(authorizerContextOf(p))));
    // Assess
    expect(roundTripped).toEqual(principals);
  });

  it.each([undefined, {}, { lambda: { principalId: 'token:alice' } }, { iam: { userArn: 'nobody' } }])(
    'refuses a request whose authorizer context is %j (401)',
    (authorizer) => {
      expect(() => principalOfRequest(eventWith(authorizer))).toThrow(AuthenticationError);
    },
  );
});
