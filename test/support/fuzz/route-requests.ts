import fc from 'fast-check';
import { SERVICE_MANIFEST, splitRouteKey } from '#shared/composition/service-manifest';
import { CALLERS, type Caller } from './fuzz-principals.js';
import { type BodyEncoding, bodyEncoding, hostileJsonText } from './hostile-json.js';
import {
  claimBody,
  cloneBody,
  githubBody,
  JOB_REF,
  jsonBodyText,
  poolBody,
  releaseBody,
  slackFormText,
} from './route-bodies.js';

/** Replaced when the request is sent by a listing cursor the service gave out earlier (or a made-up one). */
export const CURSOR_REF = '@@cursor@@';

/** How the caller's credential is written into `Authorization` (or left out). */
export type AuthForm = 'bearer' | 'lower-case scheme' | 'padded' | 'mangled token' | 'basic' | 'empty' | 'none';
/** Who the request claims to be and how: resolved by the sender into an `Authorization` header (or none). */
export type AuthChoice = { caller: Caller; form: AuthForm };
/** How a signed route's request is signed: resolved by the sender over the exact text the route verifies. */
export type SignChoice = 'valid' | 'wrong secret' | 'stale' | 'future' | 'missing' | 'malformed';

/** One generated request. `path`, `query` and `body` may hold {@link JOB_REF} and {@link CURSOR_REF}. */
export type FuzzRequest = {
  /** The manifest route key it was made for, or `off-manifest`. */
  route: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: { text: string; encoding: BodyEncoding };
  auth: AuthChoice;
  sign: SignChoice;
  /** GitHub's event name and delivery id headers (github route only). */
  github?: { event?: string; delivery?: string };
};

const authChoice: fc.Arbitrary<AuthChoice> = fc.record({
  caller: fc.oneof(
    { weight: 12, arbitrary: fc.constant<Caller>('admin') },
    { weight: 8, arbitrary: fc.constantFrom<Caller>('team', 'ci') },
    { weight: 4, arbitrary: fc.constantFrom<Caller>(...CALLERS) },
  ),
  form: fc.oneof(
    { weight: 12, arbitrary: fc.constant<AuthForm>('bearer') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<AuthForm>('lower-case scheme', 'padded', 'mangled token', 'basic', 'empty', 'none'),
    },
  ),
});
const signChoice = fc.oneof(
  { weight: 12, arbitrary: fc.constant<SignChoice>('valid') },
  { weight: 1, arbitrary: fc.constantFrom<SignChoice>('wrong secret', 'stale', 'future', 'missing', 'malformed') },
);

/** Path parameter values: ours (a job the service made, the fuzz pools) most of the time, then hostile ones. */
const jobIdParam = fc.oneof(
  { weight: 6, arbitrary: fc.constant(JOB_REF) },
  { weight: 2, arbitrary: fc.uuid() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'a'.repeat(3000),
      'github-job-1',
      '%00',
      '..%2F..',
      '%E2%80%AE',
      'constructor',
      '__proto__',
      '%25',
      'x%2Fy',
    ),
  },
);
const poolNameParam = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('fz-a', 'fz-b', 'fz-c') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'UPPER',
      'a'.repeat(41),
      '-x',
      'constructor',
      '__proto__',
      '%20',
      'p'.repeat(3000),
      '%C3%A9',
    ),
  },
);

const pair = (name: string, value: string) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
const listParam = fc.oneof(
  fc
    .constantFrom('SUCCEEDED', 'FAILED', 'QUEUED', 'DESTROYED', 'SUCCEEDED,FAILED', 'nope', '')
    .map((v) => pair('status', v)),
  fc
    .constantFrom('run=fuzz', 'team=a,b', 'noequals', '=x', 'constructor=x', `${'k'.repeat(300)}=v`)
    .map((v) => pair('label', v)),
  fc.constantFrom('1', '2', '100', '0', '101', 'abc', '1e2', '-1', '').map((v) => pair('limit', v)),
  fc.constantFrom(CURSOR_REF, 'eyJhIjoxfQ', '%%%', 'c'.repeat(3000), '').map((v) => pair('cursor', v)),
  fc.constantFrom('source=x', '__proto__=1', 'constructor=1', '%zz=1', 'a=%', '&&', '=').map((raw) => raw),
);
const listQuery = fc.array(listParam, { maxLength: 5 }).map((parts) => parts.join('&'));
const strayQuery = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('x=1', '__proto__=1', 'cursor=x', '%zz', 'a'.repeat(5000)) },
);

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/merge-patch+json',
];
const OTHER_TYPES = [
  'text/plain',
  'image/png',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  ';;;',
  '',
];
const contentType = (kind: 'json' | 'form' | 'none') =>
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc.constantFrom(
        kind === 'form' ? 'application/x-www-form-urlencoded' : kind === 'json' ? 'application/json' : undefined,
      ),
    },
    { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES, 'application/x-www-form-urlencoded', undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_TYPES) },
  );

/** Headers a client may add: idempotency keys of every length, encodings it did not apply, spoofed forwarding. */
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'idempotency-key',
    'content-encoding',
    'x-forwarded-for',
    'accept',
    'cookie',
    'x-amz-date',
    'x-instaclone-principal',
  ),
  fc.oneof(
    fc.constantFrom('gzip', 'k-1', '', '*', 'a'.repeat(300), '10.0.0.1, 127.0.0.1', 'a=b; __proto__=c'),
    fc.stringMatching(/^[!-~]{1,40}$/),
  ),
  { maxKeys: 2 },
);

type RouteShape = {
  body: fc.Arbitrary<string> | undefined;
  kind: 'json' | 'form' | 'none';
  query: fc.Arbitrary<string>;
};

const SHAPES = (responseUrl: string): Record<string, RouteShape> => ({
  'POST /v1/clones': { body: jsonBodyText(cloneBody), kind: 'json', query: strayQuery },
  'GET /v1/clones': { body: undefined, kind: 'none', query: listQuery },
  'POST /v1/hooks/generic': { body: jsonBodyText(cloneBody), kind: 'json', query: strayQuery },
  'POST /v1/hooks/github': { body: jsonBodyText(githubBody), kind: 'json', query: strayQuery },
  'POST /v1/chat/slack': { body: slackFormText(responseUrl), kind: 'form', query: strayQuery },
  'PUT /v1/pools/{name}': { body: jsonBodyText(poolBody), kind: 'json', query: strayQuery },
  'POST /v1/pools/{name}/claim': {
    body: fc.oneof(jsonBodyText(claimBody), fc.constant('')),
    kind: 'json',
    query: strayQuery,
  },
  'POST /v1/pools/{name}/release': { body: jsonBodyText(releaseBody), kind: 'json', query: strayQuery },
});
const BODYLESS: RouteShape = { body: undefined, kind: 'none', query: strayQuery };

const fillPath = (template: string): fc.Arbitrary<string> => {
  const parts = template.split(/(\{jobId\}|\{name\})/);
  return fc
    .tuple(...parts.map((p) => (p === '{jobId}' ? jobIdParam : p === '{name}' ? poolNameParam : fc.constant(p))))
    .map((filled) => filled.join(''));
};

/** A request to one manifest route: its method, a filled path, its kind of body and query, and the headers. */
const routeRequest = (routeKey: string, shape: RouteShape): fc.Arbitrary<FuzzRequest> => {
  const { method, path } = splitRouteKey(routeKey);
  const body = shape.body
    ? shape.body
    : fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileJsonText });
  return fc
    .record({
      path: fillPath(path),
      query: shape.query,
      text: body,
      encoding: bodyEncoding,
      contentType: contentType(shape.kind),
      extra: extraHeaders,
      auth: authChoice,
      sign: signChoice,
      github: fc.record(
        {
          event: fc.constantFrom('workflow_job', 'workflow_job', 'ping', 'push', ''),
          delivery: fc.oneof(fc.uuid(), fc.constantFrom('d', 'x'.repeat(300))),
        },
        { requiredKeys: [] },
      ),
    })
    .map(({ text, encoding, contentType: type, github, extra, ...rest }) => ({
      route: routeKey,
      method,
      ...rest,
      headers: { ...extra, ...(type !== undefined && { 'content-type': type }) },
      ...(text !== undefined && { body: { text, encoding } }),
      ...(routeKey === 'POST /v1/hooks/github' && { github }),
    }));
};

/** Requests no route serves: other methods on our paths, and paths near ours. */
const offManifest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.constantFrom('PATCH', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'TRACE', 'GET'),
    path: fc.constantFrom(
      '/v1/clones/',
      '/v1//clones',
      '/v1/clones/%2e%2e/health',
      '/v1/pools/fz-a/claim/x',
      '/v2/clones',
      '/',
      '/v1/hooks/unknown',
      `/v1/${'x'.repeat(5000)}`,
      '/v1/health/',
    ),
  })
  .map(({ method, path }) => ({
    route: 'off-manifest',
    method,
    path,
    query: '',
    headers: {},
    auth: { caller: 'admin' as const, form: 'bearer' as const },
    sign: 'valid' as const,
  }));

/**
 * A request to any route of the service manifest (each about as likely as the others), or now and then to none.
 * `responseUrl` is where generated Slack commands ask to be answered (a loopback receiver).
 */
export const anyRouteRequest = (responseUrl: string): fc.Arbitrary<FuzzRequest> => {
  const shapes = SHAPES(responseUrl);
  const routes = SERVICE_MANIFEST.routes.map((r) => routeRequest(r.routeKey, shapes[r.routeKey] ?? BODYLESS));
  return fc.oneof(...routes.map((arbitrary) => ({ weight: 4, arbitrary })), { weight: 1, arbitrary: offManifest });
};
