import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { PolicySchema } from '#shared/access/model/policy';
import { jitRequests, startGithubStandIn } from '#test/support/github-stand-in';
import {
  GITHUB_ACTIONS_ISSUER,
  githubActionsClaims,
  startTestOidcIssuer,
  type TestOidcIssuer,
} from '#test/support/oidc-issuer';
import { genericHookHeaders, githubHookHeaders, HOOK_SECRETS, slackHookHeaders } from '#test/support/signed-requests';
import { startTestStack } from '#test/support/test-stack';

const VM0 = '/DC0/vm/DC0_H0_VM0';
const VM1 = '/DC0/vm/DC0_H0_VM1';
const RP_VM0 = '/DC0/vm/DC0_C0_RP0_VM0';
const INSTALLATION = 2311213; // the installation of test/fixtures/github/workflow-job-queued.json

const policyFor = (idp: TestOidcIssuer) =>
  PolicySchema.parse({
    version: '1',
    issuers: [{ issuer: GITHUB_ACTIONS_ISSUER, audience: 'instaclone', jwksUri: idp.jwksUri }],
    rules: [
      { id: 'platform-admins', principals: [{ id: 'token:alice' }], actions: ['admin'] },
      {
        id: 'ci-app',
        principals: [{ issuer: GITHUB_ACTIONS_ISSUER, claims: { repository: 'acme/app', ref: 'refs/heads/main' } }],
        actions: ['clone', 'read', 'list', 'destroy'],
        resources: { sources: [VM0], folders: ['/DC0/vm/'] },
        limits: { liveClones: 10, ttlMinutes: 60 },
      },
      {
        id: 'web-team',
        principals: [{ id: 'token:web-*' }, { id: 'slack:T1/*' }],
        actions: ['clone', 'claim', 'read', 'list', 'destroy'],
        resources: { sources: [VM1], warmPools: ['web'] },
        scope: 'group',
      },
      { id: 'generic-ci', principals: [{ id: 'hook:generic' }], actions: ['clone'], resources: { sources: [RP_VM0] } },
      {
        id: 'runners',
        principals: [{ id: `github:${INSTALLATION}` }],
        actions: ['clone'],
        resources: { sources: [VM0] },
      },
      { id: 'auditors', principals: [{ id: 'token:audit' }], actions: ['read', 'list'], scope: 'all' },
    ],
  });

const TOKENS = {
  alice: 'alice-token-0123456789abcdef',
  bob: 'bob-token-0123456789abcdef',
  'web-1': 'web1-token-0123456789abcdef',
  'web-2': 'web2-token-0123456789abcdef',
  audit: 'audit-token-0123456789abcdef',
};

let stack: LocalStack;
let idp: TestOidcIssuer;
let github: Awaited<ReturnType<typeof startGithubStandIn>>;
/** Bearer tokens by caller: the named tokens and three GitHub Actions OIDC tokens. */
const bearer: Record<string, string> = { ...TOKENS };
/** Jobs the read/list/destroy cases act on, by who made them. */
const jobs: Record<string, string> = {};

type Answer = { status: number; json: Record<string, unknown> };
const call = async (caller: string, method: string, path: string, body?: unknown): Promise<Answer> => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer[caller]}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const signed = async (path: string, body: string, headers: Record<string, string>): Promise<Answer> => {
  const res = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const slack = (team: string, user: string, text: string): Promise<Answer> => {
  const form = new URLSearchParams({
    team_id: team,
    user_id: user,
    channel_id: 'C1',
    command: '/clone',
    text,
    response_url: `${github.url}/slack/response`,
  }).toString();
  return signed('/v1/chat/slack', form, slackHookHeaders(form));
};
const genericHook = (body: unknown): Promise<Answer> => {
  const text = JSON.stringify(body);
  return signed('/v1/hooks/generic', text, genericHookHeaders(text));
};
const githubQueued = (installation: number, delivery: string): Promise<Answer> => {
  const payload = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../fixtures/github/workflow-job-queued.json'), 'utf8'),
  ) as { installation: { id: number }; workflow_job: { id: number } };
  payload.installation.id = installation;
  payload.workflow_job.id += installation;
  const body = JSON.stringify(payload);
  return signed('/v1/hooks/github', body, githubHookHeaders('workflow_job', delivery, body));
};
/** Job items in the table: a refusal must store (and so queue) nothing. */
const jobCount = async (): Promise<number> => {
  const { Items = [] } = await stack.dynamo
    .client()
    .send(new ScanCommand({ TableName: stack.dynamo.tableName, ProjectionExpression: 'pk' }));
  return Items.filter((item) => item.pk?.S?.startsWith('JOB#')).length;
};

beforeAll(async () => {
  idp = await startTestOidcIssuer();
  github = await startGithubStandIn();
  stack = await startTestStack({
    policy: policyFor(idp),
    tokens: TOKENS,
    integrations: {
      genericHookSecret: HOOK_SECRETS.generic,
      githubWebhookSecret: HOOK_SECRETS.github,
      slackSigningSecret: HOOK_SECRETS.slack,
      slackResponseOrigins: github.url,
      ...github.app,
      runnerPools: JSON.stringify({
        version: '1',
        pools: [
          {
            name: 'linux',
            labels: ['self-hosted', 'linux', 'x64'],
            source: { path: VM0 },
            organizations: ['octo-org'],
          },
        ],
      }),
    },
  });
  const oidc = (claims: Record<string, unknown>) => idp.sign({ ...claims, aud: 'instaclone' });
  bearer['ci-main'] = await oidc(githubActionsClaims('acme/app'));
  bearer['ci-branch'] = await oidc(githubActionsClaims('acme/app', { ref: 'refs/heads/evil' }));
  bearer['ci-other-repo'] = await oidc(githubActionsClaims('acme/other'));
  for (const [caller, body] of [
    ['alice', { source: { path: RP_VM0 } }],
    ['ci-main', { source: { path: VM0 }, ttlMinutes: 60 }],
    ['web-1', { source: { path: VM1 } }],
  ] as const) {
    jobs[caller] = String((await call(caller, 'POST', '/v1/clones', body)).json.jobId);
  }
  await call('alice', 'PUT', '/v1/pools/web', { source: { path: VM1 }, spare: 0, max: 5 });
  await call('alice', 'PUT', '/v1/pools/db', { source: { path: VM1 }, spare: 0, max: 5 });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await idp?.close();
  await github?.close();
});

/** An allowed answer, or a denial: the status, the refusing rule (null: no rule grants it) and the field. */
type Expect = number | { status: 403; rule: string | null; field: string };
type Case = [string, () => Promise<Answer>, Expect];

const api = (caller: string, method: string, path: () => string, body?: unknown) => () =>
  call(caller, method, path(), body);
const job = (owner: string) => () => `/v1/clones/${jobs[owner]}`;
const path = (p: string) => () => p;
const denied = (rule: string | null, field: string) => ({ status: 403 as const, rule, field });

const cases: Case[] = [
  // clone through the API
  ['an admin token clones any source', api('alice', 'POST', path('/v1/clones'), { source: { path: VM1 } }), 202],
  [
    'a token without a grant clones nothing',
    api('bob', 'POST', path('/v1/clones'), { source: { path: VM0 } }),
    denied(null, 'action'),
  ],
  [
    'CI on main clones its golden VM with a TTL',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM0 }, ttlMinutes: 30 }),
    202,
  ],
  [
    'CI on main must give a TTL',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM0 } }),
    denied('ci-app', 'ttlMinutes'),
  ],
  [
    'CI on main may not lease longer than 60 minutes',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM0 }, ttlMinutes: 61 }),
    denied('ci-app', 'ttlMinutes'),
  ],
  [
    'CI on main may not clone another VM',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM1 }, ttlMinutes: 5 }),
    denied('ci-app', 'source.path'),
  ],
  [
    'CI on main may not name its source by moref',
    api('ci-main', 'POST', path('/v1/clones'), { source: { moref: 'vm-1' }, ttlMinutes: 5 }),
    denied('ci-app', 'source.moref'),
  ],
  [
    'CI on main may not clone outside the VM folders',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM0 }, folder: '/DC0/host/x', ttlMinutes: 5 }),
    denied('ci-app', 'folder'),
  ],
  [
    'CI on main may not pick a datastore',
    api('ci-main', 'POST', path('/v1/clones'), { source: { path: VM0 }, datastore: 'datastore-1', ttlMinutes: 5 }),
    denied('ci-app', 'datastore'),
  ],
  [
    'CI on another branch is not CI on main',
    api('ci-branch', 'POST', path('/v1/clones'), { source: { path: VM0 }, ttlMinutes: 5 }),
    denied(null, 'action'),
  ],
  [
    'CI of another repository is not CI of acme/app',
    api('ci-other-repo', 'POST', path('/v1/clones'), { source: { path: VM0 }, ttlMinutes: 5 }),
    denied(null, 'action'),
  ],
  ['a web token clones its team’s VM', api('web-1', 'POST', path('/v1/clones'), { source: { path: VM1 } }), 202],
  [
    'a web token may not clone CI’s VM',
    api('web-1', 'POST', path('/v1/clones'), { source: { path: VM0 } }),
    denied('web-team', 'source.path'),
  ],
  [
    'an auditor clones nothing',
    api('audit', 'POST', path('/v1/clones'), { source: { path: VM0 } }),
    denied(null, 'action'),
  ],
  [
    'CI may not set github.* labels',
    api('ci-main', 'POST', path('/v1/clones'), {
      source: { path: VM0 },
      ttlMinutes: 5,
      labels: { 'github.pool': 'linux' },
    }),
    denied('reserved-namespace', 'labels.github.pool'),
  ],
  [
    'not even an admin sets slack.* labels',
    api('alice', 'POST', path('/v1/clones'), {
      source: { path: VM0 },
      labels: { 'slack.response-url': 'https://evil' },
    }),
    denied('reserved-namespace', 'labels.slack.response-url'),
  ],
  [
    'not even an admin sets the runner script’s guestinfo',
    api('alice', 'POST', path('/v1/clones'), {
      source: { path: VM0 },
      guestinfo: { 'instaclone.runner.jitconfig': 'forged' },
    }),
    denied('reserved-namespace', 'guestinfo.instaclone.runner.jitconfig'),
  ],
  // read
  ['an admin reads CI’s job', api('alice', 'GET', job('ci-main')), 200],
  ['CI reads its own job', api('ci-main', 'GET', job('ci-main')), 200],
  ['CI may not read the web team’s job', api('ci-main', 'GET', job('web-1')), denied('ci-app', 'requestedBy')],
  [
    'CI on another branch may not read CI-on-main’s job',
    api('ci-branch', 'GET', job('ci-main')),
    denied(null, 'action'),
  ],
  ['a web token reads a teammate’s job', api('web-2', 'GET', job('web-1')), 200],
  ['a web token may not read CI’s job', api('web-2', 'GET', job('ci-main')), denied('web-team', 'requestedBy')],
  ['an auditor reads any job', api('audit', 'GET', job('ci-main')), 200],
  ['a token without a grant reads nothing', api('bob', 'GET', job('alice')), denied(null, 'action')],
  // list
  ['an auditor lists', api('audit', 'GET', path('/v1/clones')), 200],
  ['a web token lists', api('web-2', 'GET', path('/v1/clones')), 200],
  ['a token without a grant may not list', api('bob', 'GET', path('/v1/clones')), denied(null, 'action')],
  // pools
  ['an admin puts a pool', api('alice', 'PUT', path('/v1/pools/extra'), { source: { path: VM1 }, spare: 0 }), 201],
  [
    'a web token may not put a pool',
    api('web-1', 'PUT', path('/v1/pools/web'), { source: { path: VM1 }, spare: 0 }),
    denied(null, 'action'),
  ],
  ['a web token claims from the web pool', api('web-1', 'POST', path('/v1/pools/web/claim'), {}), 202],
  [
    'a web token may not claim from another pool',
    api('web-1', 'POST', path('/v1/pools/db/claim'), {}),
    denied('web-team', 'pool'),
  ],
  [
    'a token without a grant claims nothing',
    api('bob', 'POST', path('/v1/pools/web/claim'), {}),
    denied(null, 'action'),
  ],
  ['a web token sees the web pool', api('web-1', 'GET', path('/v1/pools/web')), 200],
  ['a web token may not see another pool', api('web-1', 'GET', path('/v1/pools/db')), denied('web-team', 'pool')],
  // signed hooks act as themselves
  ['the generic hook clones its granted VM', () => genericHook({ source: { path: RP_VM0 } }), 202],
  [
    'the generic hook may not clone another VM',
    () => genericHook({ source: { path: VM0 } }),
    denied('generic-ci', 'source.path'),
  ],
  [
    'the generic hook may not set github.* labels',
    () => genericHook({ source: { path: RP_VM0 }, labels: { 'github.repo': 'victim-org/x' } }),
    denied('reserved-namespace', 'labels.github.repo'),
  ],
  ['the configured GitHub installation gets a runner clone', () => githubQueued(INSTALLATION, 'delivery-ok'), 200],
  ['another GitHub installation gets none', () => githubQueued(4242, 'delivery-other'), denied(null, 'action')],
  // destroy (last: they end jobs the cases above read)
  ['CI may not destroy the web team’s job', api('ci-main', 'DELETE', job('web-1')), denied('ci-app', 'requestedBy')],
  ['an auditor destroys nothing', api('audit', 'DELETE', job('ci-main')), denied(null, 'action')],
  ['a token without a grant destroys nothing', api('bob', 'DELETE', job('alice')), denied(null, 'action')],
  ['a web token destroys a teammate’s job', api('web-2', 'DELETE', job('web-1')), 202],
  ['CI destroys its own job', api('ci-main', 'DELETE', job('ci-main')), 202],
];

/** Slack users are principals too (`slack:<team>/<user>`): their answers are ephemeral replies. */
const slackCases: Array<[string, () => Promise<Answer>, RegExp]> = [
  ['a Slack user of team T1 clones the web team’s VM', () => slack('T1', 'U1', VM1), /^Cloning /],
  [
    'a Slack user of team T1 may not clone CI’s VM',
    () => slack('T1', 'U1', VM0),
    /^Not allowed: Access denied by rule web-team: .*\(source\.path\)$/,
  ],
  [
    'a Slack user of another team clones nothing',
    () => slack('T2', 'U9', VM1),
    /^Not allowed: Access denied: no rule grants "clone" to slack:T2\/U9 \(action\)$/,
  ],
  [
    'a Slack user may not set github.* labels',
    () => slack('T1', 'U1', `${VM1} label.github.pool=linux`),
    /^Not allowed: Access denied by rule reserved-namespace: .*\(labels\.github\.pool\)$/,
  ],
];

describe('Authorization matrix through the real handlers (npm start’s stack with a policy)', () => {
  it.each(cases)('%s', async (_, send, expected) => {
    // Prepare
    const before = await jobCount();
    // Act
    const answer = await send();
    // Assess
    if (typeof expected === 'number') {
      expect(answer.status, JSON.stringify(answer.json)).toBe(expected);
      return;
    }
    expect(answer).toMatchObject({
      status: 403,
      json: { error: { code: 'ACCESS_DENIED', rule: expected.rule, details: [{ field: expected.field }] } },
    });
    expect(await jobCount()).toBe(before);
  });

  it.each(slackCases)('%s', async (_, send, reply) => {
    // Prepare
    const before = await jobCount();
    // Act
    const answer = await send();
    // Assess
    expect(answer.status).toBe(200);
    expect(String(answer.json.text)).toMatch(reply);
    if (!String(answer.json.text).startsWith('Cloning')) expect(await jobCount()).toBe(before);
  });

  it('lists only what the caller may read, and filters by requestedBy', async () => {
    // Act
    const web = await call('web-2', 'GET', '/v1/clones?limit=100');
    const byWeb1 = await call('alice', 'GET', '/v1/clones?limit=100&requestedBy=token:web-1');
    const all = await call('audit', 'GET', '/v1/clones?limit=100');
    // Assess
    const owners = (answer: Answer) =>
      new Set((answer.json.jobs as Array<{ requestedBy?: { id: string } }>).map((j) => j.requestedBy?.id));
    expect([...owners(web)].every((id) => id?.startsWith('token:web-') || id?.startsWith('slack:T1/'))).toBe(true);
    expect([...owners(byWeb1)]).toEqual(['token:web-1']);
    expect(owners(all).size).toBeGreaterThan(3);
  });

  it('asked GitHub for exactly one JIT config: the configured installation’s', async () => {
    // Act: wait for the runner clone the allowed delivery queued (its JIT config is fetched just before it clones).
    const runner = `/v1/clones/github-job-${2832853555 + INSTALLATION}`;
    for (
      let i = 0;
      i < 200 && ['QUEUED', 'RUNNING'].includes(String((await call('alice', 'GET', runner)).json.status));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Assess
    expect((await call('alice', 'GET', runner)).json).toMatchObject({
      status: 'SUCCEEDED',
      requestedBy: { id: `github:${INSTALLATION}` },
    });
    expect(jitRequests(github)).toHaveLength(1);
  });
});
