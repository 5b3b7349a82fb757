import { describe, expect, it } from 'vitest';
import type { CloneTarget } from '#shared/access/model/clone-target';
import { decide, NO_POLICY } from '#shared/access/model/decide';
import { type Policy, PolicySchema } from '#shared/access/model/policy';
import {
  githubPrincipal,
  iamPrincipal,
  oidcPrincipal,
  type Principal,
  slackPrincipal,
  tokenPrincipal,
} from '#shared/access/model/principal';
import { GITHUB_ACTIONS_ISSUER, githubActionsClaims } from '#test/support/oidc-issuer';

const policy: Policy = PolicySchema.parse({
  version: '1',
  issuers: [{ issuer: GITHUB_ACTIONS_ISSUER, audience: 'instaclone' }],
  rules: [
    {
      id: 'platform-admins',
      principals: [{ id: 'token:alice' }, { arn: 'arn:aws:iam::123456789012:role/platform-admin' }],
      actions: ['admin'],
    },
    {
      id: 'ci-app',
      principals: [{ issuer: GITHUB_ACTIONS_ISSUER, claims: { repository: 'acme/app', ref: 'refs/heads/main' } }],
      actions: ['clone', 'read', 'list', 'destroy'],
      resources: { sources: ['/DC0/vm/golden/'], folders: ['/DC0/vm/ci/'], networks: ['ci-*'] },
      limits: { liveClones: 10, ttlMinutes: 60, count: 5, waitFor: ['task', 'ip'] },
    },
    {
      id: 'web-team',
      principals: [{ id: 'token:web-*' }, { id: 'slack:T1/*' }],
      actions: ['claim', 'read', 'list', 'destroy', 'clone'],
      resources: { warmPools: ['web'], sources: ['vm-42'], datastores: ['/DC0/datastore/fast'] },
      limits: { per: 'group', concurrentJobs: 3 },
      scope: 'group',
    },
    {
      id: 'runners',
      principals: [{ id: 'github:4242' }],
      actions: ['clone', 'destroy'],
      resources: { sources: ['/DC0/vm/runners/'] },
    },
    { id: 'auditors', principals: [{ id: 'token:audit' }], actions: ['read', 'list'], scope: 'all' },
  ],
});

const alice = tokenPrincipal('alice');
const bob = tokenPrincipal('bob');
const web1 = tokenPrincipal('web-1');
const web2 = tokenPrincipal('web-2');
const slackWeb = slackPrincipal('T1', 'U7');
const slackOther = slackPrincipal('T2', 'U7');
const auditor = tokenPrincipal('audit');
const adminRole = iamPrincipal('arn:aws:sts::123456789012:assumed-role/platform-admin/jane');
const otherAccount = iamPrincipal('arn:aws:sts::999999999999:assumed-role/platform-admin/jane');
const ciMain = oidcPrincipal({ ...githubActionsClaims('acme/app'), aud: 'instaclone' });
const ciBranch = oidcPrincipal({ ...githubActionsClaims('acme/app', { ref: 'refs/heads/evil' }), aud: 'instaclone' });
const ciOtherRepo = oidcPrincipal({ ...githubActionsClaims('acme/other'), aud: 'instaclone' });
const runnerHook = githubPrincipal(4242);
const strangerHook = githubPrincipal(1);

const clone = (overrides: Partial<CloneTarget> = {}): CloneTarget => ({
  source: { path: '/DC0/vm/golden/web' },
  folder: '/DC0/vm/ci',
  count: 1,
  ttlMinutes: 60,
  waitFor: 'task',
  ...overrides,
});
const job = (requestedBy?: Principal) => ({ requestedBy });

type Case = [string, Principal, Parameters<typeof decide>[2], unknown, string | null, string?];
// [case, principal, action, resource, rule expected (allow) or refusing rule (deny: then the field), field]
const allowed: Case[] = [
  [
    'an admin token clones anything',
    alice,
    'clone',
    clone({ source: { moref: 'vm-1' }, ttlMinutes: undefined }),
    'platform-admins',
  ],
  [
    'an admin role session (matched by role ARN) manages pools',
    adminRole,
    'manage-pools',
    { pool: 'x' },
    'platform-admins',
  ],
  ['CI on main clones a golden VM into the CI folder', ciMain, 'clone', clone(), 'ci-app'],
  [
    'CI on main clones into a sub-folder of the CI folder',
    ciMain,
    'clone',
    clone({ folder: '/DC0/vm/ci/team' }),
    'ci-app',
  ],
  ['CI on main joins a ci-* network', ciMain, 'clone', clone({ nics: [{ network: 'ci-blue' }] }), 'ci-app'],
  ['CI on main reads its own job', ciMain, 'read', job(ciMain), 'ci-app'],
  ['CI on main destroys its own job', ciMain, 'destroy', job(ciMain), 'ci-app'],
  ['CI may list', ciMain, 'list', undefined, 'ci-app'],
  ['a web token claims from the web pool', web1, 'claim', { pool: 'web' }, 'web-team'],
  ['a web token reads a teammate’s job (group scope)', web1, 'read', job(web2), 'web-team'],
  ['a Slack user of team T1 destroys a web token’s job (same group)', slackWeb, 'destroy', job(web1), 'web-team'],
  [
    'a web token clones vm-42 onto the fast datastore',
    web1,
    'clone',
    clone({ source: { moref: 'vm-42' }, folder: undefined, datastore: '/DC0/datastore/fast' }),
    'web-team',
  ],
  [
    'the runner installation clones a runner source',
    runnerHook,
    'clone',
    clone({ source: { path: '/DC0/vm/runners/linux' }, folder: undefined }),
    'runners',
  ],
  [
    'a clone by name in a path folder counts as that path',
    runnerHook,
    'clone',
    clone({ source: { name: 'linux' }, folder: '/DC0/vm/runners' }),
    'runners',
  ],
  ['an auditor reads anyone’s job', auditor, 'read', job(ciMain), 'auditors'],
  ['an auditor reads a job made before principals existed', auditor, 'read', job(undefined), 'auditors'],
];
const denied: Case[] = [
  ['bob has no grant at all', bob, 'clone', clone(), null, 'action'],
  ['a role of another account is not the admin role', otherAccount, 'admin', undefined, null, 'action'],
  ['CI on another branch is not CI on main', ciBranch, 'clone', clone(), null, 'action'],
  ['CI of another repository is not CI of acme/app', ciOtherRepo, 'read', job(ciOtherRepo), null, 'action'],
  [
    'CI may not clone outside the golden folder',
    ciMain,
    'clone',
    clone({ source: { path: '/DC0/vm/dc01' } }),
    'ci-app',
    'source.path',
  ],
  [
    'a look-alike folder is not the golden folder',
    ciMain,
    'clone',
    clone({ source: { path: '/DC0/vm/golden-secrets/db' } }),
    'ci-app',
    'source.path',
  ],
  [
    'a traversal-looking path is refused',
    ciMain,
    'clone',
    clone({ source: { path: '/DC0/vm/golden/../dc01' } }),
    'ci-app',
    'source.path',
  ],
  [
    'a path grant is not a grant for a moref',
    ciMain,
    'clone',
    clone({ source: { moref: 'vm-7' } }),
    'ci-app',
    'source.moref',
  ],
  ['CI may not clone into another folder', ciMain, 'clone', clone({ folder: '/DC0/vm/prod' }), 'ci-app', 'folder'],
  [
    'CI may not leave the clone beside a source outside its folders',
    ciMain,
    'clone',
    clone({ folder: undefined }),
    'ci-app',
    'folder',
  ],
  [
    'CI may not choose a resource pool',
    ciMain,
    'clone',
    clone({ pool: '/DC0/host/DC0_C0/Resources' }),
    'ci-app',
    'pool',
  ],
  [
    'CI may not join a network outside ci-*',
    ciMain,
    'clone',
    clone({ nics: [{}, { network: 'prod' }] }),
    'ci-app',
    'nics.1.network',
  ],
  ['CI must give a TTL', ciMain, 'clone', clone({ ttlMinutes: undefined }), 'ci-app', 'ttlMinutes'],
  ['CI may not lease for more than an hour', ciMain, 'clone', clone({ ttlMinutes: 61 }), 'ci-app', 'ttlMinutes'],
  ['CI may not ask for more than 5 at once', ciMain, 'clone', clone({ count: 6 }), 'ci-app', 'count'],
  ['CI may not read a job of the web team', ciMain, 'read', job(web1), 'ci-app', 'requestedBy'],
  [
    'CI may not destroy a job made before principals existed',
    ciMain,
    'destroy',
    job(undefined),
    'ci-app',
    'requestedBy',
  ],
  ['a web token may not claim from another pool', web1, 'claim', { pool: 'db' }, 'web-team', 'pool'],
  [
    'a web token may not put vm-42 on another datastore',
    web1,
    'clone',
    clone({ source: { moref: 'vm-42' }, folder: undefined, datastore: 'datastore-1' }),
    'web-team',
    'datastore',
  ],
  [
    'a web token may not choose a folder when its rule keeps clones beside their source',
    web1,
    'clone',
    clone({ source: { moref: 'vm-42' } }),
    'web-team',
    'folder',
  ],
  ['a Slack user of another team is not in the web team', slackOther, 'claim', { pool: 'web' }, null, 'action'],
  ['a web token may not manage pools', web1, 'manage-pools', { pool: 'web' }, null, 'action'],
  [
    'another GitHub installation may not clone runners',
    strangerHook,
    'clone',
    clone({ source: { path: '/DC0/vm/runners/linux' }, folder: undefined }),
    null,
    'action',
  ],
  ['the runner installation may not read jobs', runnerHook, 'read', job(runnerHook), null, 'action'],
  ['an auditor may not destroy', auditor, 'destroy', job(ciMain), null, 'action'],
  ['only an admin rule grants admin', web1, 'admin', undefined, null, 'action'],
];

describe('Model: decide', () => {
  it.each(allowed)('allows: %s', (_, principal, action, resource, rule) => {
    // Act
    const decision = decide(policy, principal, action, resource as never);
    // Assess
    expect(decision).toMatchObject({ allowed: true, rule });
  });

  it.each(denied)('denies: %s', (_, principal, action, resource, rule, field) => {
    // Act
    const decision = decide(policy, principal, action, resource as never);
    // Assess
    expect(decision).toMatchObject({ allowed: false, rule, field });
    expect(decision.allowed || decision.message.length > 0).toBe(true);
  });

  it('allows everything, naming no rule, when there is no policy', () => {
    expect(decide(undefined, bob, 'admin', undefined)).toEqual({ allowed: true, rule: NO_POLICY });
  });

  it('names the missing grant: the action and the principal', () => {
    expect(decide(policy, bob, 'clone', clone())).toEqual({
      allowed: false,
      rule: null,
      field: 'action',
      message: 'no rule grants "clone" to token:bob',
    });
  });

  it('charges a per-principal counter for CI and one shared counter for the web team', () => {
    // Act
    const ci = decide(policy, ciMain, 'clone', clone());
    const webA = decide(policy, web1, 'clone', clone({ source: { moref: 'vm-42' }, folder: undefined }));
    const webB = decide(policy, slackWeb, 'clone', clone({ source: { moref: 'vm-42' }, folder: undefined }));
    // Assess
    expect(ci).toMatchObject({ quota: { key: `rule#ci-app#${ciMain.id}`, liveClones: 10 } });
    expect(webA).toMatchObject({ quota: { key: 'rule#web-team', concurrentJobs: 3 } });
    expect(webB).toMatchObject({ quota: { key: 'rule#web-team', concurrentJobs: 3 } });
  });

  it('charges no counter to an admin', () => {
    expect(decide(policy, alice, 'clone', clone())).toEqual({ allowed: true, rule: 'platform-admins' });
  });
});
