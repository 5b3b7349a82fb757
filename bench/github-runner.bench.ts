/**
 * `github-runner`: time from a GitHub `workflow_job` webhook to its runner VM powered on (issue 9). The stack runs
 * in this process with the embedded simulator at its default task time, the hooks route configured with a webhook
 * secret, one runner pool and a GitHub App whose API is a stand-in on 127.0.0.1 (installation tokens and JIT runner
 * configs, answered at once). Each job is a `queued` webhook built from test/fixtures/github/workflow-job-queued.json
 * with its own `workflow_job.id` and delivery id, signed with `X-Hub-Signature-256`, POSTed to `/v1/hooks/github`.
 * A runner is powered on when `Clone Succeeded` for its job reaches the bus (the clone is on when its task
 * succeeds); each VM is then checked in the simulator: powered on, with the JIT config in its guestinfo.
 *
 * Two figures, both against the goal p95 ≤ 2 s:
 * - steady: `concurrency` CI slots, each sending its next webhook once its previous runner is on;
 * - burst: `jobs` webhooks at once, `concurrency` deliveries in flight (a matrix build), runners queue behind the
 *   worker's vCenter cap.
 * - warm: the runner pool's `warmPool` keeps `spare` running clones of the golden VM; each webhook claims one and
 *   the worker sets its JIT config (ReconfigVM_Task). Measured from sending the webhook to `Clone Configured` on the
 *   bus (the runner can start), one job at a time, the next sent once a spare is ready again; goal p95 ≤ 200 ms.
 *
 * Usage: `npm run bench github-runner` (env BENCH_GITHUB_JOBS, default 30; BENCH_GITHUB_CONCURRENCY, default 4;
 * BENCH_GITHUB_WARM_JOBS, default 20).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@octokit/webhooks-methods';
import { silentLogger } from '#local/local-logger';
import { startLocalStack } from '#local/stack';
import { jitRequests, startGithubStandIn, tokenRequests } from '#test/support/github-stand-in';
import { closedLoop } from './closed-loop.js';
import { watchCompletions } from './completion-waiter.js';
import { summarise } from './latency-summary.js';
import { emit, machine } from './machine.js';

const jobs = Number(process.env.BENCH_GITHUB_JOBS ?? 30);
const concurrency = Number(process.env.BENCH_GITHUB_CONCURRENCY ?? 4);
const warmJobs = Number(process.env.BENCH_GITHUB_WARM_JOBS ?? 20);
const warmup = 2;
const goalP95Ms = 2_000;
const warmGoalP95Ms = 200;
const runnerTimeoutMs = 20_000;
/** The whole run is bounded: a stuck stack prints an error line and exits instead of hanging the bench run. */
const deadlineMs = 80_000;

const JIT_KEY = 'guestinfo.instaclone.runner.jitconfig';
const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, '../test/fixtures/github/workflow-job-queued.json'), 'utf8'),
) as { workflow_job: Record<string, unknown> } & Record<string, unknown>;

const watchdog = setTimeout(() => {
  emit({ kind: 'error', bench: 'github-runner', reason: `not done within ${deadlineMs} ms` });
  process.exit(1);
}, deadlineMs);
watchdog.unref();

// The worker's EMF metric lines would land between the JSON figures on stdout.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
emit(machine());
const webhookSecret = randomBytes(24).toString('hex');
const github = await startGithubStandIn('BENCH-JIT-CONFIG');
const stack = await startLocalStack({
  // simulator: default task time on purpose (the goal is stated for it).
  logger: silentLogger,
  integrations: {
    githubWebhookSecret: webhookSecret,
    ...github.app,
    runnerPools: JSON.stringify({
      version: '1',
      // The warm pool exists only once the warm figure starts (PUT below); until then every runner is cloned cold.
      pools: [
        {
          name: 'linux',
          labels: ['self-hosted', 'linux', 'x64'],
          source: { path: '/DC0/vm/DC0_H0_VM0' },
          organizations: ['octo-org'],
          warmPool: 'runners',
        },
      ],
    }),
  },
});
const sim = stack.vcsim?.sim;
if (!sim) throw new Error('the github-runner bench needs the embedded simulator');
const completions = watchCompletions(stack.bus);
const configurations = watchCompletions(stack.bus, { detailTypes: ['Clone Configured'] });

let nextWorkflowJobId = 7_000_000_000;
type Runner = { workflowJobId: number; jobId: string; answeredMs: number; poweredOnMs: number };

/** Sends one signed `queued` webhook; resolves when GitHub would have its answer (before the runner is on). */
const deliver = async (workflowJobId: number, expected: 'submitted' | 'claimed' = 'submitted') => {
  const body = JSON.stringify({
    ...fixture,
    workflow_job: { ...fixture.workflow_job, id: workflowJobId, created_at: new Date().toISOString() },
  });
  // GitHub signs before it sends: the signature is not part of the measured time.
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/bench',
    'x-github-event': 'workflow_job',
    'x-github-delivery': randomUUID(),
    'x-github-hook-installation-target-type': 'organization',
    'x-hub-signature-256': await sign(webhookSecret, body),
  };
  const sentAt = performance.now();
  const res = await fetch(`${stack.apiUrl}/v1/hooks/github`, { method: 'POST', body, headers });
  const answer = (await res.json()) as { outcome?: string; jobId?: string };
  const answeredMs = performance.now() - sentAt;
  if (!res.ok || answer.outcome !== expected || !answer.jobId) {
    throw new Error(`webhook for ${workflowJobId} answered ${res.status} ${JSON.stringify(answer)}`);
  }
  return { sentAt, answeredMs, jobId: answer.jobId };
};

/** Waits for the runner's `Clone Succeeded` and checks its VM in the simulator. */
const poweredOn = async (workflowJobId: number, sent: Awaited<ReturnType<typeof deliver>>): Promise<Runner> => {
  const done = await completions.completion(sent.jobId, runnerTimeoutMs);
  if (done.detailType !== 'Clone Succeeded') {
    throw new Error(`runner ${sent.jobId} ended with ${done.detailType} ${done.fault ?? ''}`);
  }
  const vm = sim.findVmByName(`instaclone-${sent.jobId}`);
  if (vm?.powerState !== 'poweredOn' || vm.extraConfig[JIT_KEY] !== 'BENCH-JIT-CONFIG') {
    throw new Error(`runner VM of ${sent.jobId} is not on with its JIT config`);
  }
  return { workflowJobId, jobId: sent.jobId, answeredMs: sent.answeredMs, poweredOnMs: done.at - sent.sentAt };
};

const runOne = async (): Promise<Runner> => {
  const workflowJobId = nextWorkflowJobId++;
  return poweredOn(workflowJobId, await deliver(workflowJobId));
};

const figure = (mode: string, runners: Runner[], wallMs: number, failures: number) => {
  const toPoweredOn = summarise(runners.map((r) => r.poweredOnMs));
  return {
    kind: 'figure',
    bench: 'github-runner',
    mode,
    runners: runners.length,
    failures,
    concurrency,
    simulatorTaskMs: 'default (200 in local/vcsim/index.ts)',
    wallMs: Math.round(wallMs),
    webhookAnswerMs: summarise(runners.map((r) => r.answeredMs)),
    webhookToPoweredOnMs: toPoweredOn,
    goal: { webhookToPoweredOnP95Ms: `<= ${goalP95Ms}` },
    met: failures === 0 && toPoweredOn.p95 <= goalP95Ms,
  };
};

/** Claims from the warm pool, one job at a time, each sent once a spare is ready (the wait is not measured). */
const warmFigure = async () => {
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then(async (r) => (await r.json()) as { status?: { ready?: number } } & Record<string, unknown>);
  const spare = 2;
  await api('PUT', '/v1/pools/runners', {
    source: { path: '/DC0/vm/DC0_H0_VM0' },
    spare,
    max: spare + warmJobs + warmup,
  });
  const spareReady = async () => {
    while (((await api('GET', '/v1/pools/runners')).status?.ready ?? 0) < 1) await sleep(20);
  };
  const runs: Array<{ answeredMs: number; configuredMs: number }> = [];
  let failures = 0;
  for (let i = 0; i < warmup + warmJobs; i++) {
    await spareReady();
    try {
      const sent = await deliver(nextWorkflowJobId++, 'claimed');
      const done = await configurations.completion(sent.jobId, runnerTimeoutMs);
      const { vmName } = (await api('GET', `/v1/clones/${sent.jobId}`)) as { vmName?: string };
      const vm = sim.findVmByName(vmName ?? '');
      if (vm?.powerState !== 'poweredOn' || vm.extraConfig[JIT_KEY] !== 'BENCH-JIT-CONFIG') {
        throw new Error(`warm runner ${sent.jobId} is not on with its JIT config`);
      }
      if (i >= warmup) runs.push({ answeredMs: sent.answeredMs, configuredMs: done.at - sent.sentAt });
    } catch {
      failures++;
    }
  }
  const toConfigured = summarise(runs.map((r) => r.configuredMs));
  const figure = {
    kind: 'figure',
    bench: 'github-runner',
    mode: `warm pool: spare ${spare}, one job at a time, webhook → JIT config set on a running spare`,
    runners: runs.length,
    failures,
    simulatorTaskMs: 'default (ReconfigVM_Task: 100 in local/vcsim/methods/reconfigure.ts)',
    webhookAnswerMs: summarise(runs.map((r) => r.answeredMs)),
    webhookToConfiguredMs: toConfigured,
    goal: { webhookToConfiguredP95Ms: `<= ${warmGoalP95Ms}` },
    met: failures === 0 && toConfigured.p95 <= warmGoalP95Ms,
  };
  emit(figure);
  return figure;
};

let failed = false;
try {
  // First login to the simulator, the App's installation token, JIT compilation: not what this bench is about.
  for (let i = 0; i < warmup; i++) await runOne();

  const steady: Runner[] = [];
  const loop = await closedLoop(jobs, concurrency, async () => {
    steady.push(await runOne());
  });
  emit(
    figure(`steady: ${concurrency} CI slots, next webhook once the runner is on`, steady, loop.wallMs, loop.failures),
  );

  const burst: Runner[] = [];
  let burstFailures = 0;
  const burstStarted = performance.now();
  const waits: Promise<void>[] = [];
  await closedLoop(jobs, concurrency, async () => {
    const workflowJobId = nextWorkflowJobId++;
    const sent = await deliver(workflowJobId).catch((err: unknown) => {
      burstFailures++;
      throw err;
    });
    waits.push(
      poweredOn(workflowJobId, sent).then(
        (r) => void burst.push(r),
        () => void burstFailures++,
      ),
    );
  });
  await Promise.all(waits);
  emit(
    figure(
      `burst: ${jobs} webhooks at once, ${concurrency} deliveries in flight`,
      burst,
      performance.now() - burstStarted,
      burstFailures,
    ),
  );
  failed = loop.failures > 0 || burstFailures > 0;

  emit({
    kind: 'note',
    bench: 'github-runner',
    githubApiCalls: {
      jitConfigs: jitRequests(github).length,
      installationTokens: tokenRequests(github).length,
      runnersCloned: warmup + 2 * jobs,
    },
  });
  const warm = await warmFigure();
  failed ||= warm.failures > 0;
} finally {
  await stack.close();
  await github.close();
  clearTimeout(watchdog);
}
process.exitCode = failed ? 1 : 0;
