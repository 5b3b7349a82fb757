import fc from 'fast-check';
import { anyKey, anyNumber, anyString, hostileJsonText, jsonValue } from './hostile-json.js';

/**
 * Bodies of each route for the route fuzz: shaped like what the route reads (so many reach the use case), with
 * each field drawn from valid values, wrong ones and hostile structure, and sometimes replaced by hostile text.
 * Valid values stay cheap for the stack (1-3 clones, spares of 0-2 in three pools) so a long run measures the
 * service, not a growing inventory. {@link JOB_REF} stands for a job id the service gave out earlier in the run,
 * {@link OUTSIDE_REF} for the loopback receiver (a valid request's callbacks are answered at once; a receiver that
 * never answers, `127.0.0.1:9`, is among the broken ones).
 */

/** Replaced when the request is sent by a job id the service answered with earlier (or a fresh UUID). */
export const JOB_REF = '@@job@@';
/** Replaced when the request is sent by the loopback receiver's URL (callbacks that are answered at once). */
export const OUTSIDE_REF = '@@outside@@';

/** A source VM that exists in the simulator, others that do not, and wrong shapes. */
const source = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ path: '/DC0/vm/DC0_H0_VM0' }) },
  { weight: 1, arbitrary: fc.constantFrom({ moref: 'vm-42' }, { moref: 'vm-999999' }, { name: 'DC0_H0_VM0' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ path: '/DC0/vm/missing' }, { path: 'relative' }, {}, { path: '/a', moref: 'vm-1' }),
  },
  { weight: 1, arbitrary: jsonValue },
);

/** Maps with tricky keys and values of every size (guestinfo, extraConfig, labels). */
const configMap = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.dictionary(fc.stringMatching(/^[a-z0-9.]{1,12}$/), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
  },
  { weight: 2, arbitrary: fc.dictionary(anyKey, anyString, { maxKeys: 4, noNullPrototype: true }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom(1024, 30_000, 64 * 1024))
      .map(([n, size]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, 'x'.repeat(size)]))),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60, max: 70 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))),
  },
  { weight: 1, arbitrary: jsonValue },
);

/** Callback addresses that never leave the machine: loopback, private, embedded-IPv4 and malformed ones. */
const callbackUrl = fc.constantFrom(
  `${OUTSIDE_REF}/cb`,
  'http://127.0.0.1:9/cb',
  'http://localhost:9/cb',
  'http://10.0.0.1/cb',
  'http://[::a00:1]/cb',
  'http://[::ffff:127.0.0.1]/cb',
  'http://[2002:a00:1::]/cb',
  'ftp://127.0.0.1/cb',
  'not a url',
  `http://127.0.0.1/${'p'.repeat(3000)}`,
);

const cloneFields = {
  version: fc.constantFrom('1', '2', 1, null),
  source,
  name: fc.oneof(fc.string({ unit: 'binary', maxLength: 90 }), anyNumber),
  folder: fc.constantFrom('/DC0/vm', '/DC0/vm/missing', 'vm', 'group-v3', ''),
  nics: fc.oneof(
    fc.array(
      fc.record({ key: fc.integer({ min: -1, max: 4001 }), mac: fc.constantFrom('auto', '00:50:56:00:00:01', 'zz') }),
      { maxLength: 12 },
    ),
    jsonValue,
  ),
  guestinfo: configMap,
  extraConfig: configMap,
  labels: configMap,
  ttlMinutes: fc.oneof(fc.integer({ min: -1, max: 50_000 }), anyNumber),
  callbackUrl,
  timeoutMinutes: fc.oneof(fc.integer({ min: 0, max: 1500 }), anyNumber),
  biosUuid: fc.constantFrom('4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b', 'x', ''),
  count: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 101, 1.5, '2', -1, 1e21) },
  ),
  waitFor: fc.constantFrom('task', 'ip', 'never'),
};

/** Labels, guestinfo and extraConfig the schema accepts, with the key names that once broke DynamoDB. */
const validMap = fc.dictionary(
  fc.oneof(fc.stringMatching(/^[a-z0-9.]{1,12}$/), fc.constantFrom('constructor', 'prototype', 'toString')),
  fc.string({ maxLength: 20 }),
  { maxKeys: 4 },
);

/** A clone request the API accepts (one to three clones of the simulator's VM), so the fuzz reaches the worker. */
const validCloneBody = fc.record(
  {
    source: fc.constant({ path: '/DC0/vm/DC0_H0_VM0' }),
    labels: validMap,
    guestinfo: validMap,
    extraConfig: validMap,
    ttlMinutes: fc.integer({ min: 1, max: 60 }),
    callbackUrl: fc.constant(`${OUTSIDE_REF}/cb`),
    count: fc.integer({ min: 1, max: 3 }),
    waitFor: fc.constantFrom('task', 'ip'),
  },
  { requiredKeys: ['source'] },
);

/** A clone request as `POST /v1/clones` and the generic hook read it: a valid one, or one with any field broken. */
export const cloneBody = fc.oneof(validCloneBody, fc.record(cloneFields, { requiredKeys: ['source'] }));

/** Pool specs with any field broken (a template is clone request fields). */
const brokenPoolBody = fc.record(
  {
    version: fc.constantFrom('1', '2'),
    source,
    sources: fc.array(source, { maxLength: 3 }),
    template: fc.oneof(
      fc.record(
        {
          labels: cloneFields.labels,
          guestinfo: cloneFields.guestinfo,
          waitFor: cloneFields.waitFor,
          folder: cloneFields.folder,
        },
        { requiredKeys: [] },
      ),
      fc.record({ name: cloneFields.name, count: cloneFields.count, source }, { requiredKeys: [] }),
      jsonValue,
    ),
    min: fc.integer({ min: -1, max: 2 }),
    max: fc.integer({ min: 0, max: 3 }),
    spare: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }) },
      { weight: 1, arbitrary: fc.constantFrom(-1, 101, 0.5) },
    ),
    ttlMinutes: fc.constantFrom(1, 60, 0, 99_999),
    namePrefix: fc.constantFrom('fz', '-bad', 'x'.repeat(41)),
  },
  { requiredKeys: [] },
);

/** A pool spec the API accepts: a small pool of the simulator's VM. */
const validPoolBody = fc.record(
  {
    source: fc.constant({ path: '/DC0/vm/DC0_H0_VM0' }),
    template: fc.record({ labels: validMap, guestinfo: validMap }, { requiredKeys: [] }),
    max: fc.constant(3),
    spare: fc.integer({ min: 0, max: 2 }),
    ttlMinutes: fc.constantFrom(1, 60),
  },
  { requiredKeys: ['source'] },
);

/** A pool spec as `PUT /v1/pools/{name}` reads it, valid or broken. */
export const poolBody = fc.oneof(validPoolBody, brokenPoolBody);

/** A claim, and a release of a job (one of ours, or any string). */
export const claimBody = fc.record({ version: fc.constantFrom('1', '2'), claimedBy: anyString }, { requiredKeys: [] });
export const releaseBody = fc.record(
  { version: fc.constantFrom('1', '2'), jobId: fc.oneof(fc.constant(JOB_REF), anyString, anyNumber) },
  { requiredKeys: [] },
);

/** `workflow_job` payloads with any part broken, and what else GitHub sends. */
const brokenGithubBody = fc.record(
  {
    action: fc.constantFrom('queued', 'in_progress', 'completed', 'waiting', 'deleted', ''),
    workflow_job: fc.oneof(
      fc.record(
        {
          id: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), anyNumber),
          run_id: fc.integer({ min: -1, max: 1_000_000 }),
          labels: fc.oneof(fc.subarray(['self-hosted', 'linux', 'x64', 'gpu']), jsonValue),
          runner_name: fc.oneof(fc.constant(null), fc.constant(`instaclone-${JOB_REF}`), anyString),
          conclusion: fc.constantFrom(null, 'success', 'cancelled'),
        },
        { requiredKeys: ['id', 'labels'] },
      ),
      jsonValue,
    ),
    repository: fc.oneof(fc.constant({ name: 'repo', full_name: 'org/repo', owner: { login: 'org' } }), jsonValue),
    installation: fc.oneof(fc.constant({ id: 1 }), jsonValue),
    zen: anyString,
  },
  { requiredKeys: ['action'] },
);

/** A `workflow_job` delivery GitHub would send for the fuzz runner pool (or for labels no pool serves). */
const validGithubBody = fc.record({
  action: fc.constantFrom('queued', 'in_progress', 'completed'),
  workflow_job: fc.record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    run_id: fc.integer({ min: 1, max: 1_000_000 }),
    labels: fc.constantFrom(['self-hosted', 'linux', 'x64'], ['self-hosted', 'gpu'], []),
    runner_name: fc.constantFrom(null, `instaclone-${JOB_REF}`),
    conclusion: fc.constantFrom(null, 'success'),
  }),
  repository: fc.constant({ name: 'repo', full_name: 'org/repo', owner: { login: 'org' } }),
  installation: fc.constant({ id: 1 }),
});

/** GitHub's `workflow_job` payload, valid or broken. */
export const githubBody = fc.oneof(validGithubBody, brokenGithubBody);

/** A JSON body: the route's shape (as JSON text), hostile text, or any JSON value. */
export const jsonBodyText = (shape: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: shape.map((v) => JSON.stringify(v) ?? '') },
    { weight: 2, arbitrary: hostileJsonText },
    { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? '') },
  );

/** Text after `/clone`: help, status and destroy of a job, clones with options, and any words. */
const slackText = fc.oneof(
  fc.constantFrom('', 'help', 'status', `status ${JOB_REF}`, `destroy ${JOB_REF}`, 'status x y', 'destroy ../../x'),
  fc
    .tuple(
      fc.constantFrom('/DC0/vm/DC0_H0_VM0', 'vm-42', 'DC0_H0_VM0', '/missing'),
      fc.array(
        fc.constantFrom(
          'name1',
          'ttl=5',
          'ttl=x',
          'wait=ip',
          'folder=/DC0/vm',
          'label.run=fuzz',
          'label.=x',
          'k=v',
          '=v',
          'constructor=x',
          '__proto__=x',
        ),
        { maxLength: 5 },
      ),
    )
    .map(([src, words]) => [src, ...words].join(' ')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** A Slack slash command form (fields present or not, any text), or any form-ish text. */
export const slackFormText = (responseUrl: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .record(
          {
            team_id: fc.constantFrom('T0001', '', 'constructor'),
            user_id: fc.constantFrom('U1', ''),
            channel_id: fc.constant('C1'),
            command: fc.constant('/clone'),
            text: slackText,
            response_url: fc.constantFrom(
              `${responseUrl}/slack`,
              'https://hooks.slack.com/commands/1/2',
              'http://10.0.0.1/x',
              'junk',
            ),
          },
          { requiredKeys: ['text'] },
        )
        .map((form) => new URLSearchParams(form).toString()),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%%%',
        '&&&==',
        'text=%E0%A4%A',
        'team_id=T&team_id=U',
        '__proto__=x&team_id=T0001&response_url=x',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
