import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import type { CloneJobView } from '#shared/clones/model/clone-job';
import { apiClient } from '#test/support/api-client';
import { genericHookHeaders, githubHookHeaders, HOOK_SECRETS, slackHookHeaders } from '#test/support/signed-requests';
import { startTestStack } from '#test/support/test-stack';

// Issue 17: every hostile input it lists, through `npm start`'s gateway and the real handlers.

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
const source = { path: '/DC0/vm/DC0_H0_VM0' };
const deepJson = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;

/** A raw request: any body, any headers (the bearer token unless `auth` is false). */
const send = async (method: string, path: string, body: string | undefined, headers: Record<string, string>) => {
  const res = await fetch(`${stack.apiUrl}${path}`, { method, headers, ...(body !== undefined && { body }) });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; details?: unknown[] } } };
};
const bearer = () => ({ authorization: `Bearer ${stack.apiToken}` });

beforeAll(async () => {
  stack = await startTestStack({
    integrations: {
      genericHookSecret: HOOK_SECRETS.generic,
      githubWebhookSecret: HOOK_SECRETS.github,
      slackSigningSecret: HOOK_SECRETS.slack,
    },
  });
  api = apiClient(stack);
});
afterAll(() => stack?.close());

describe('Hostile requests (issue 17): parsing', () => {
  it.each([
    ['POST', '/v1/clones'],
    ['PUT', '/v1/pools/deep'],
    ['POST', '/v1/pools/deep/claim'],
    ['POST', '/v1/pools/deep/release'],
  ])('answers 10,000 nested arrays on %s %s with a 400 naming the body', async (method, path) => {
    // Act
    const res = await send(method, path, deepJson, { ...bearer(), 'content-type': 'application/json' });
    // Assess
    expect(res.status).toBe(400);
    expect(res.json.error?.details).toEqual([{ field: 'body', message: 'nests deeper than 32 levels' }]);
  });

  it('answers 10,000 nested arrays on the signed generic and GitHub hooks with a 400 naming the body', async () => {
    // Act
    const generic = await send('POST', '/v1/hooks/generic', deepJson, genericHookHeaders(deepJson));
    const github = await send('POST', '/v1/hooks/github', deepJson, githubHookHeaders('workflow_job', 'd-1', deepJson));
    // Assess
    expect(generic).toMatchObject({ status: 400, json: { error: { details: [{ field: 'body' }] } } });
    expect(github).toMatchObject({ status: 400, json: { error: { details: [{ field: 'body' }] } } });
  });

  it('stores constructor, prototype and toString keys in labels, guestinfo and extraConfig and gives them back', async () => {
    // Prepare
    const tricky = { constructor: 'x', prototype: 'y', toString: 'z', hasOwnProperty: 'w' };
    const body = { source, labels: tricky, guestinfo: { constructor: 'g' }, extraConfig: { constructor: 'e' } };
    // Act
    const posted = await api.call('POST', '/v1/clones', body);
    const job = await api.waitForFinished(String(posted.json.jobId));
    const listed = await api.call('GET', '/v1/clones?label=constructor=x');
    // Assess
    expect(posted.status).toBe(202);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.labels).toEqual(tricky);
    expect(job.request.guestinfo).toEqual({ constructor: 'g' });
    expect(job.request.extraConfig).toEqual({ constructor: 'e' });
    expect((listed.json.jobs as CloneJobView[]).map((j) => j.jobId)).toContain(job.jobId);
    const vm = stack.vcsim?.sim.getVm(job.vm?.moref ?? '');
    expect(vm?.extraConfig).toMatchObject({ 'guestinfo.constructor': 'g', constructor: 'e' });
  });

  it('stores a pool template whose labels are named constructor and prototype', async () => {
    // Act
    const put = await api.call('PUT', '/v1/pools/proto-keys', {
      source,
      spare: 0,
      template: { labels: { constructor: 'a', prototype: 'b' } },
    });
    const got = await api.call('GET', '/v1/pools/proto-keys');
    await api.call('DELETE', '/v1/pools/proto-keys');
    // Assess
    expect(put.status).toBe(201);
    expect(got.json).toMatchObject({ spec: { template: { labels: { constructor: 'a', prototype: 'b' } } } });
  });

  it('refuses a __proto__ key with a 400 naming it', async () => {
    // Act
    const res = await send('POST', '/v1/clones', '{"source":{"moref":"vm-1"},"labels":{"__proto__":"x"}}', {
      ...bearer(),
      'content-type': 'application/json',
    });
    // Assess
    expect(res).toMatchObject({ status: 400, json: { error: { details: [{ field: 'labels.__proto__' }] } } });
  });
});

describe('Hostile requests (issue 17): content types, auth scheme, query parameters', () => {
  const body = JSON.stringify({ source });

  it.each([
    ['POST', '/v1/clones', 'text/plain'],
    ['POST', '/v1/clones', 'image/png'],
    ['PUT', '/v1/pools/typed', 'text/plain'],
    ['POST', '/v1/pools/typed/claim', 'application/x-www-form-urlencoded'],
    ['POST', '/v1/pools/typed/release', 'text/plain'],
  ])('answers %s %s sent as %s with a 415 naming Content-Type', async (method, path, contentType) => {
    // Act
    const res = await send(method, path, body, { ...bearer(), 'content-type': contentType });
    // Assess
    expect(res).toMatchObject({
      status: 415,
      json: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', details: [{ field: 'Content-Type' }] } },
    });
  });

  it('answers 415 on a signed hook whose body is not of the type the route reads', async () => {
    // Prepare
    const form = 'payload=%7B%7D';
    const slackAsJson = '{"text":"help"}';
    // Act
    const generic = await send('POST', '/v1/hooks/generic', body, {
      ...genericHookHeaders(body),
      'content-type': 'text/plain',
    });
    const github = await send('POST', '/v1/hooks/github', form, {
      ...githubHookHeaders('workflow_job', 'd-2', form),
      'content-type': 'application/x-www-form-urlencoded',
    });
    const slack = await send('POST', '/v1/chat/slack', slackAsJson, {
      ...slackHookHeaders(slackAsJson),
      'content-type': 'application/json',
    });
    // Assess
    expect([generic.status, github.status, slack.status]).toEqual([415, 415, 415]);
  });

  it.each(['bearer', 'BEARER', 'Bearer'])('accepts the %s scheme in any case (RFC 7235)', async (scheme) => {
    // Act
    const res = await send('GET', '/v1/clones?limit=1', undefined, { authorization: `${scheme} ${stack.apiToken}` });
    // Assess
    expect(res.status).toBe(200);
  });

  it('names an unknown query parameter as a query parameter, not as a body field', async () => {
    // Act
    const res = await api.call('GET', '/v1/clones?source=x');
    // Assess
    expect(res).toMatchObject({
      status: 400,
      json: { error: { details: [{ field: 'source', message: 'is not a query parameter of this route' }] } },
    });
  });
});

describe('Hostile requests (issue 17): path ids, cursors and label filters', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each(['GET', 'DELETE'])('answers %s of a 3,000-character job id with a 400 naming jobId', async (method) => {
    // Act
    const res = await api.call(method, `/v1/clones/${'a'.repeat(3000)}`);
    // Assess
    expect(res).toMatchObject({ status: 400, json: { error: { details: [{ field: 'jobId' }] } } });
  });

  it('answers a release of a 3,000-character job id with a 400 naming jobId', async () => {
    // Act
    const res = await api.call('POST', '/v1/pools/any/release', { jobId: 'a'.repeat(3000) });
    // Assess
    expect(res).toMatchObject({ status: 400, json: { error: { details: [{ field: 'jobId' }] } } });
  });

  it.each([
    ['base64 JSON that is not a key', b64({ pk: 'JOB#x', gsi1pk: 'nope' })],
    ['an old-style position with a forged key', b64({ s: 0, c: b64({ pk: 'x' }) })],
    ['not base64 at all', '%%%'],
  ])('answers a forged cursor (%s) with a 400 INVALID_CURSOR', async (_kind, cursor) => {
    // Act
    const res = await api.call('GET', `/v1/clones?status=SUCCEEDED&cursor=${encodeURIComponent(cursor)}`);
    // Assess
    expect(res).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_CURSOR', details: [{ field: 'cursor' }] } },
    });
  });

  it('refuses a real cursor from ?status=DESTROYED reused with ?status=SUCCEEDED, saying it was made for another filter', async () => {
    // Prepare: two destroyed clones, so the first page of one has a cursor
    const posted = await api.call('POST', '/v1/clones', { source, count: 2, labels: { suite: 'cursor' } });
    const ids = (posted.json.jobs as CloneJobView[]).map((j) => j.jobId);
    for (const id of ids) await api.waitForFinished(id);
    for (const id of ids) await api.call('DELETE', `/v1/clones/${id}`);
    for (const id of ids) await api.waitFor(id, (j) => j.status === 'DESTROYED');
    const first = await api.call('GET', '/v1/clones?status=DESTROYED&limit=1');
    const cursor = String(first.json.cursor);
    // Act
    const reused = await api.call('GET', `/v1/clones?status=SUCCEEDED&cursor=${cursor}`);
    const relabelled = await api.call('GET', `/v1/clones?status=DESTROYED&label=suite=other&cursor=${cursor}`);
    const same = await api.call('GET', `/v1/clones?status=DESTROYED&limit=1&cursor=${cursor}`);
    // Assess
    expect(reused).toMatchObject({
      status: 400,
      json: { error: { code: 'INVALID_CURSOR', message: expect.stringContaining('made for another filter') } },
    });
    expect(relabelled.status).toBe(400);
    expect(same.status).toBe(200);
  });

  it('treats several label filters as AND, and keeps commas inside a label value', async () => {
    // Prepare
    const both = await api.call('POST', '/v1/clones', { source, labels: { team: 'and-ci', note: 'a,b' } });
    const one = await api.call('POST', '/v1/clones', { source, labels: { team: 'and-ci' } });
    await api.waitForFinished(String(both.json.jobId));
    await api.waitForFinished(String(one.json.jobId));
    // Act
    const res = await api.call('GET', `/v1/clones?label=team=and-ci&label=${encodeURIComponent('note=a,b')}&limit=100`);
    const any = await api.call('GET', '/v1/clones?label=team=and-ci&status=SUCCEEDED,FAILED&limit=100');
    // Assess
    expect((res.json.jobs as CloneJobView[]).map((j) => j.jobId)).toEqual([both.json.jobId]);
    expect((any.json.jobs as CloneJobView[]).map((j) => j.jobId).sort()).toEqual(
      [both.json.jobId, one.json.jobId].sort(),
    );
  });
});

describe('Hostile requests (issue 17): replays of signed requests', () => {
  const labelled = async (run: string) =>
    ((await api.call('GET', `/v1/clones?label=run=${run}&limit=100`)).json.jobs as CloneJobView[]).map((j) => j.jobId);

  it('answers the identical signed generic request, sent three times in its window, with the first job only', async () => {
    // Prepare
    const body = JSON.stringify({ source, labels: { run: 'replay' } });
    const headers = genericHookHeaders(body);
    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send('POST', '/v1/hooks/generic', body, headers));
    // Assess
    const ids = answers.map((a) => (a.json as { jobId?: string }).jobId);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(ids).size).toBe(1);
    expect(await labelled('replay')).toEqual([ids[0]]);
  });

  it('never lets a fresh Idempotency-Key turn a replayed signature into a new job', async () => {
    // Prepare
    const body = JSON.stringify({ source, labels: { run: 'replay-key' } });
    const headers = genericHookHeaders(body);
    // Act
    const first = await send('POST', '/v1/hooks/generic', body, headers);
    const replayed = await send('POST', '/v1/hooks/generic', body, { ...headers, 'idempotency-key': 'attacker-1' });
    const again = await send('POST', '/v1/hooks/generic', body, { ...headers, 'idempotency-key': 'attacker-2' });
    // Assess
    const id = (first.json as { jobId?: string }).jobId;
    expect([replayed, again].map((a) => (a.json as { jobId?: string }).jobId)).toEqual([id, id]);
    expect(await labelled('replay-key')).toEqual([id]);
  });

  it('lets a sender re-sign a retry with a new timestamp and the same Idempotency-Key, and still get one job', async () => {
    // Prepare
    const body = JSON.stringify({ source, labels: { run: 'resigned' } });
    const key = { 'idempotency-key': `resigned-${Date.now()}` };
    // Act
    const first = await send('POST', '/v1/hooks/generic', body, { ...genericHookHeaders(body), ...key });
    const resigned = await send('POST', '/v1/hooks/generic', body, {
      ...genericHookHeaders(body, new Date(Date.now() - 2000)),
      ...key,
    });
    // Assess
    expect((resigned.json as { jobId?: string }).jobId).toBe((first.json as { jobId?: string }).jobId);
    expect(await labelled('resigned')).toHaveLength(1);
  });

  it('answers a replayed signed Slack /clone with the first job, making one clone', async () => {
    // Prepare
    const form = new URLSearchParams({
      team_id: 'T0001',
      user_id: 'U1',
      channel_id: 'C1',
      text: '/DC0/vm/DC0_H0_VM0 label.run=slack-replay',
      response_url: 'https://hooks.slack.com/commands/1/2',
    }).toString();
    const headers = slackHookHeaders(form);
    // Act
    const first = await send('POST', '/v1/chat/slack', form, headers);
    const replayed = await send('POST', '/v1/chat/slack', form, headers);
    // Assess
    const text = (a: { json: unknown }) => String((a.json as { text?: string }).text);
    expect(first.status).toBe(200);
    expect(text(replayed)).toBe(text(first));
    expect(await labelled('slack-replay')).toHaveLength(1);
  });
});
