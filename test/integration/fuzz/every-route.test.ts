import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_MANIFEST } from '#shared/composition/service-manifest';
import { type FuzzAnswer, makeFuzzSender } from '#test/support/fuzz/fuzz-sender';
import { type FuzzTarget, startFuzzTarget } from '#test/support/fuzz/fuzz-target';
import { refusalLogWatcher } from '#test/support/fuzz/refusal-logs';
import { anyRouteRequest, type FuzzRequest } from '#test/support/fuzz/route-requests';
import { type RssProbe, startRssProbe } from '#test/support/fuzz/rss-probe';
import { fuzzSettings } from '../../unit/fuzz/fuzz-settings.js';

/**
 * Fuzz: every HTTP route of the service manifest, through `npm start`'s gateway and the real handlers, with a policy
 * (named tokens, OIDC tokens good and bad, quotas) and valid signatures on the signed hooks so their bodies reach the
 * parsers. Whatever the structure (depth, size, key names, encodings, content types, headers), the service answers
 * in time, below 500, with the API's error body, and logs its refusals at info or warn without a stack trace.
 *
 * The one answer at 500 or above that is not a failure: 503 POOL_DEGRADED, a claim on a pool whose clones keep
 * failing (the fuzz makes such pools: sources that do not exist, a source past vCenter's delta-disk limit).
 *
 * In `npm test`: a fixed seed, a few hundred inputs, the stack in this process. `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED)
 * runs the stack in a child process and prints one JSON line: inputs, status counts, the child's RSS.
 */
const DEFAULT_RUNS = 200;
const LONG_RUN = process.env.FUZZ_RUNS !== undefined;
let target: FuzzTarget;
let sender: ReturnType<typeof makeFuzzSender>;
let rss: RssProbe;
const logs = refusalLogWatcher();
const statuses = new Map<string, number>();
let sent = 0;
const byRoute = new Map<string, number[]>();

const isPoolDegraded = (answer: FuzzAnswer) =>
  answer.status === 503 && (answer.json as { error?: { code?: string } })?.error?.code === 'POOL_DEGRADED';
const countOf = (answer: FuzzAnswer) => (isPoolDegraded(answer) ? '503 POOL_DEGRADED' : String(answer.status));
const describeInput = (req: FuzzRequest, answer: FuzzAnswer) =>
  `${req.method} ${req.path.slice(0, 200)}?${req.query.slice(0, 200)} (${req.route}, ${JSON.stringify(req.auth)})` +
  ` -> ${answer.status}: ${answer.text.slice(0, 500)}`;

beforeAll(async () => {
  // A long run measures the service alone, in a process of its own; the suite's run starts quicker in this one.
  target = await startFuzzTarget(LONG_RUN ? 'child' : 'this');
  target.onLogLine(logs.read);
  sender = makeFuzzSender(target);
  rss = await startRssProbe(
    () => target.rssBytes(),
    () => target.collect(),
  );
}, 60_000);

afterAll(async () => {
  // What the service keeps shows once its in-flight work (clones, callbacks, pool scaling) is done: 30 s idle.
  const memory = LONG_RUN ? await rss?.stop(30_000) : undefined;
  if (memory) {
    const statusCounts = Object.fromEntries([...statuses].sort(([a], [b]) => a.localeCompare(b)));
    const { refused, failed } = logs.report;
    const line = { fuzz: 'every-route', inputs: sent, statusCounts, refusalLogs: refused, failureLogs: failed };
    process.stdout.write(`${JSON.stringify({ ...line, stackProcess: target.process, ...memory })}\n`);
  }
  sender?.close();
  await target?.close();
}, 120_000);

describe('Fuzz: every route of the service manifest through the local stack', () => {
  it(
    'answers every generated request in time and below 500 (but POOL_DEGRADED), with an error body naming a code',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyRouteRequest(target.outsideUrl), async (req) => {
          // Act
          const answer = await sender.send(req);
          // Assess
          statuses.set(countOf(answer), (statuses.get(countOf(answer)) ?? 0) + 1);
          byRoute.set(req.route, [...(byRoute.get(req.route) ?? []).slice(-50), answer.status]);
          rss.mark(++sent);
          const seen = describeInput(req, answer);
          expect(answer.status, seen).toBeGreaterThan(0);
          if (!isPoolDegraded(answer)) expect(answer.status, seen).toBeLessThan(500);
          if (answer.status >= 400 && req.method !== 'HEAD') {
            expect((answer.json as { error?: { code?: unknown } })?.error?.code, seen).toEqual(expect.any(String));
          }
        }),
        fuzzSettings(DEFAULT_RUNS),
      );
    },
    LONG_RUN ? 3_600_000 : 120_000,
  );

  it('reached every route past its authentication, and each signed route past its signature', () => {
    // Assess
    for (const route of SERVICE_MANIFEST.routes) {
      const seen = byRoute.get(route.routeKey) ?? [];
      expect(
        seen.some((s) => s !== 401 && s !== 403),
        `${route.routeKey}: ${seen.join(',')}`,
      ).toBe(true);
      if (route.auth === 'signed')
        expect(
          seen.some((s) => s >= 200 && s < 300),
          route.routeKey,
        ).toBe(true);
    }
  });

  it('logged every refusal at info or warn without a stack trace, and no request as failed', () => {
    // Assess
    expect(logs.report.violations).toEqual([]);
    expect(logs.report.failed).toBe(0);
    expect(Object.values(logs.report.refused).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
