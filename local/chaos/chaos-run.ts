import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaosAudit } from './chaos-audit.js';
import { auditNow, countFinished, unfinishedJobs } from './chaos-gather.js';
import type { ChaosOptions } from './chaos-options.js';
import {
  GOLDEN_PATH,
  garbageRule,
  garbageSourceOf,
  goldenImage,
  jobPlanner,
  vcenterOutage,
} from './chaos-scenarios.js';
import { submitAll } from './chaos-submit.js';
import { CHAOS_FAULT_RULES } from './fault-plan.js';
import { type SimAdmin, simAdmin } from './sim-admin.js';
import { spawnVcsim } from './spawn-stack.js';
import { StackSupervisor } from './stack-supervisor.js';

/** What a chaos run prints last: the audit, what was done to the service, and how long it took. */
export type ChaosReport = ChaosAudit & {
  kind: 'chaos';
  /** Messages left at the end; a job whose message reached the DLQ waits for the (AWS-only) scheduled reconciler. */
  queues: { queue: number; dlq: number };
  /** Requests that never got a 202, even after retries (not jobs: the service never accepted them). */
  submitFailures: number;
  seed: number;
  kills: { afterInstantClone: number; onTimer: number };
  restarts: number;
  /** Jobs the stack found unfinished on disk and re-enqueued, summed over its starts. */
  redriven: number;
  injectedFaultRules: number;
  sessionExpiries: number;
  /** What the issue-16 scenarios did: DELETEs sent, the golden image refreshed, the garbage source, the outage. */
  scenarios: { deleted: number; goldenRefreshed: boolean; garbageSource?: string; outageSeconds: number };
  /** Lines of the stack's and the simulator's output that contain the vCenter password or the API token. */
  secretsInLogs: number;
  elapsedMs: number;
};

type Disruption = { atMs: number; kind: 'kill-after-clone' | 'kill' | 'restart' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Appends to each example the last log lines of the stack that mention its job (what the worker last said). */
const attachLogEvidence = (audit: ChaosAudit, output: readonly string[]): void => {
  for (const examples of Object.values(audit.examples)) {
    for (const example of examples) {
      const said = output.filter((line) => line.includes(example.jobId)).slice(-2);
      if (said.length > 0) example.why = `${example.why}; last logs: ${said.map((l) => l.slice(0, 400)).join(' | ')}`;
    }
  }
};

/** mulberry32: a seeded generator, so a failing kill schedule can be replayed with `--seed`. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const schedule = (options: ChaosOptions, random: () => number): Disruption[] => {
  const window = options.submitSeconds * 1000;
  const at = () => Math.round(window * (0.1 + 0.8 * random()));
  const afterClone = Math.ceil(options.kills / 2);
  return [
    ...Array.from({ length: afterClone }, () => ({ atMs: at(), kind: 'kill-after-clone' as const })),
    ...Array.from({ length: options.kills - afterClone }, () => ({ atMs: at(), kind: 'kill' as const })),
    ...Array.from({ length: options.restarts }, () => ({ atMs: at(), kind: 'restart' as const })),
  ].sort((a, b) => a.atMs - b.atMs);
};

/** Resolves right after the simulator has received the next InstantClone_Task (it is running or just ran). */
const nextInstantClone = async (admin: SimAdmin, timeoutMs = 10_000): Promise<boolean> => {
  const before = (await admin.stats()).byMethod['InstantClone_Task'] ?? 0;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (((await admin.stats()).byMethod['InstantClone_Task'] ?? 0) > before) return true;
    await sleep(2);
  }
  return false;
};

/**
 * Runs one chaos experiment end to end (design §6's promise: exactly one VM per job under at-least-once delivery)
 * and audits it. The simulator runs in a process of its own so its inventory outlives every stack restart; the
 * stack runs in another, killed and restarted on the same data folder. Everything binds to 127.0.0.1.
 * `log` receives one progress object every few seconds.
 */
export async function runChaos(
  options: ChaosOptions,
  log: (line: Record<string, unknown>) => void,
): Promise<ChaosReport> {
  const started = Date.now();
  const random = seeded(options.seed);
  const dataDir = await mkdtemp(join(tmpdir(), 'instaclone-chaos-'));
  const password = randomBytes(18).toString('base64url');
  const apiToken = randomBytes(24).toString('base64url');
  const vcsim = await spawnVcsim([
    ...['--task-duration-ms', String(options.taskDurationMs), '--vms', String(options.sources)],
    // One argument: a base64url password may start with '-', which parseArgs would take for an option.
    ...['--username', 'chaos', `--password=${password}`],
  ]);
  const admin = simAdmin(vcsim.admin);
  const supervisor = new StackSupervisor({
    dataDir,
    apiToken,
    vcenter: { url: vcsim.url, username: 'chaos', password },
    // Short timeouts so a retried message comes back within seconds, not the deployed minutes.
    workerTimeoutMs: 5_000,
    visibilityTimeoutSeconds: 6,
    closeGraceMs: 3_000,
    ...(options.retryPolicy && { retryPolicy: options.retryPolicy }),
  });
  const kills = { afterInstantClone: 0, onTimer: 0 };
  let redriven = 0;
  let sessionExpiries = 0;
  const accepted: string[] = [];
  const deleted: string[] = [];
  const golden = goldenImage(vcsim.url, { username: 'chaos', password });
  let goldenRefreshed = false;
  let expiry: NodeJS.Timeout | undefined;
  const finished = async () => countFinished(join(dataDir, 'events.ndjson'));
  const progress = setInterval(async () => {
    log({
      kind: 'progress',
      elapsedS: Math.round((Date.now() - started) / 1000),
      accepted: accepted.length,
      finished: await finished(),
      kills: supervisor.kills,
      restarts: supervisor.restarts,
    });
  }, 5_000);
  try {
    await supervisor.start();
    const sources = (await admin.vms())
      .filter((vm) => vm.powerState === 'poweredOn' && !vm.extraConfig['instaclone.jobId'])
      .map((vm) => vm.moref);
    if (options.goldenRefresh) await golden.build();
    const garbage = garbageSourceOf(options, sources);
    const persistent = garbage ? [garbageRule(garbage)] : [];
    const rules = [...(options.faults ? CHAOS_FAULT_RULES : []), ...persistent];
    for (const rule of rules) await admin.addFault(rule);
    expiry = setInterval(() => {
      sessionExpiries++;
      admin.expireSessions().catch(() => undefined);
    }, options.sessionExpiryEveryMs);
    const submitting = submitAll(supervisor, options, apiToken, jobPlanner(options, sources), accepted, deleted);
    const t0 = Date.now();
    const window = options.submitSeconds * 1000;
    // The refresh comes halfway through the submissions, or before an outage (the image builder needs vCenter too).
    const refreshAt = options.outageSeconds > 0 ? window / 6 : window / 2;
    const refreshing = options.goldenRefresh
      ? sleep(refreshAt).then(async () => {
          await golden.refresh();
          goldenRefreshed = true;
          log({ kind: 'disruption', what: `golden image ${GOLDEN_PATH} refreshed`, at: new Date().toISOString() });
        })
      : Promise.resolve();
    const outage =
      options.outageSeconds > 0
        ? sleep(window / 3).then(() => {
            log({
              kind: 'disruption',
              what: `vCenter outage of ${options.outageSeconds} s`,
              at: new Date().toISOString(),
            });
            return vcenterOutage(admin, options.outageSeconds, rules);
          })
        : Promise.resolve();
    // Awaited after the submissions, where a failure ends the run; caught here so it is not unhandled meanwhile.
    for (const scenario of [refreshing, outage]) scenario.catch(() => undefined);
    for (const step of schedule(options, random)) {
      await sleep(Math.max(0, t0 + step.atMs - Date.now()));
      const before = redriven;
      if (step.kind === 'restart') redriven += await supervisor.restart();
      else if (step.kind === 'kill') {
        kills.onTimer++;
        redriven += await supervisor.kill();
      } else {
        if (await nextInstantClone(admin)) kills.afterInstantClone++;
        else kills.onTimer++;
        redriven += await supervisor.kill();
      }
      log({ kind: 'disruption', what: step.kind, at: new Date().toISOString(), redrivenOnStart: redriven - before });
    }
    const submitFailures = await submitting;
    await Promise.all([refreshing, outage]);
    clearInterval(expiry);
    await admin.clearFaults();
    // Garbage answers persist: that source's jobs must still end, FAILED and saying why.
    for (const rule of persistent) await admin.addFault(rule);
    const until = Date.now() + options.drainTimeoutMs;
    const eventsFile = join(dataDir, 'events.ndjson');
    const asked = new Set(deleted);
    while (Date.now() < until && (await unfinishedJobs(supervisor, accepted, eventsFile, apiToken, asked)).length > 0) {
      await sleep(1_000);
    }
    const audit = await auditNow(supervisor, admin, accepted, join(dataDir, 'events.ndjson'), apiToken);
    const queues = await supervisor.queueDepths();
    await supervisor.stop();
    await vcsim.stop();
    attachLogEvidence(audit, [...supervisor.output]);
    const secrets = [password, apiToken];
    const secretsInLogs = [...supervisor.output, ...vcsim.output].filter((line) =>
      secrets.some((s) => line.includes(s)),
    ).length;
    return {
      kind: 'chaos',
      ...audit,
      queues,
      submitFailures: submitFailures.length,
      seed: options.seed,
      kills,
      restarts: supervisor.restarts,
      redriven,
      injectedFaultRules: options.faults ? CHAOS_FAULT_RULES.length : 0,
      sessionExpiries,
      scenarios: {
        deleted: deleted.length,
        goldenRefreshed,
        ...(garbage && { garbageSource: garbage }),
        outageSeconds: options.outageSeconds,
      },
      secretsInLogs,
      elapsedMs: Date.now() - started,
    };
  } finally {
    clearInterval(progress);
    clearInterval(expiry);
    await golden.close();
    await supervisor.stop().catch(() => undefined);
    await vcsim.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
