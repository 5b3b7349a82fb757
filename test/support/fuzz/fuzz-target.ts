import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type StackChild, spawnStack } from '#local/chaos/spawn-stack';
import { MEMORY_KIND, type StackMemory } from '#local/chaos/stack-process-config';
import { startGithubStandIn } from '../github-stand-in.js';
import { HOOK_SECRETS } from '../signed-requests.js';
import { startTestStack } from '../test-stack.js';
import { type Caller, FUZZ_GITHUB, FUZZ_TOKENS, startFuzzIdentities } from './fuzz-principals.js';
import { tapProcessOutput } from './refusal-logs.js';
import { type HeldMemory, mib } from './rss-probe.js';

/** The labels of the fuzz stack's one GitHub runner pool. */
export const FUZZ_RUNNER_LABELS = ['self-hosted', 'linux', 'x64'];

/** The stack under fuzz: where it answers, a credential per caller, the loopback world it calls, its memory. */
export type FuzzTarget = {
  apiUrl: string;
  bearer: Record<Caller, string>;
  outsideUrl: string;
  /** What the process that runs the stack is: this one (with the fuzzer in it) or a child of its own. */
  process: 'this' | 'child';
  /** Resident set size of that process now, in bytes. */
  rssBytes(): number;
  /**
   * A full garbage collection in that process, when it allows one (the child does); resolves once it is done, with
   * what the process holds then (undefined if the child is gone).
   */
  collect(): Promise<HeldMemory | undefined>;
  /** Calls `read` with each line the stack's functions log from now on (info and up here, warn and up in a child). */
  onLogLine(read: (line: string) => void): void;
  close(): Promise<void>;
};

const integrationsFor = (outside: Awaited<ReturnType<typeof startGithubStandIn>>) => ({
  genericHookSecret: HOOK_SECRETS.generic,
  githubWebhookSecret: HOOK_SECRETS.github,
  slackSigningSecret: HOOK_SECRETS.slack,
  slackResponseOrigins: outside.url,
  ...outside.app,
  runnerPools: JSON.stringify({
    version: '1',
    pools: [
      {
        name: 'linux',
        labels: FUZZ_RUNNER_LABELS,
        source: { path: '/DC0/vm/DC0_H0_VM0' },
        organizations: [FUZZ_GITHUB.organization],
      },
    ],
  }),
});

const heldOf = (m: Omit<StackMemory, 'kind' | 'collected' | 'rss'>): HeldMemory => ({
  heapUsedMb: mib(m.heapUsed),
  externalMb: mib(m.external),
  arrayBuffersMb: mib(m.arrayBuffers),
  ...(m.busEvents !== undefined && { busEvents: m.busEvents }),
  ...(m.simulatorVms !== undefined && { simulatorVms: m.simulatorVms }),
});

/** Signals the child stack to collect and resolves with the memory line it prints then (see `stack-process.ts`). */
const collectIn = (child: StackChild): (() => Promise<HeldMemory | undefined>) => {
  const stdout = child.process.stdout;
  if (!stdout) return async () => undefined;
  const lines = createInterface({ input: stdout });
  return () =>
    new Promise<HeldMemory | undefined>((resolve) => {
      const onLine = (line: string) => {
        if (!line.includes(`"kind":"${MEMORY_KIND}"`)) return;
        lines.off('line', onLine);
        resolve(heldOf(JSON.parse(line) as StackMemory));
      };
      lines.on('line', onLine);
      void child.exited.then(() => resolve(undefined));
      process.kill(child.ready.pid, 'SIGUSR2');
    });
};

/** VmRSS of a Linux process, in bytes (0 once it is gone). */
const rssOf = (pid: number): number => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
};

/**
 * `npm start`'s stack with a policy (`fuzzPolicy`: named tokens, OIDC, quotas), every signed route served (the
 * secrets of `HOOK_SECRETS`), a GitHub runner pool whose App talks to a loopback stand-in, and Slack replies allowed
 * to that stand-in only: nothing the fuzz makes the service do leaves the machine. In this process (quick to start),
 * or in a child process (`child`), so its memory is the service's alone, as `npm start` runs it
 * (`local/chaos/stack-process.ts`).
 */
export const startFuzzTarget = async (where: 'this' | 'child' = 'this'): Promise<FuzzTarget> => {
  // GitHub's API, and the receiver of callbacks and Slack replies (it answers anything else with a 201).
  const outside = await startGithubStandIn('FUZZ-JIT-CONFIG');
  const apiToken = randomBytes(24).toString('base64url');
  const identities = await startFuzzIdentities(apiToken);
  const options = {
    apiToken,
    policy: identities.policy,
    tokens: FUZZ_TOKENS,
    integrations: integrationsFor(outside),
  };
  const common = { bearer: identities.bearer, outsideUrl: outside.url };
  const closeWorld = async () => {
    await identities.close();
    await outside.close();
  };
  if (where === 'child') {
    const child = await spawnStack(
      {
        ...options,
        simulator: { taskDurationMs: 20 },
        workerTimeoutMs: 10_000,
        visibilityTimeoutSeconds: 2,
        // Warn and up: refusals at warn and failures are seen, without a line per info refusal crossing the pipe.
        logLevel: 'WARN',
      },
      { env: { NODE_OPTIONS: '--expose-gc' } },
    );
    return {
      ...common,
      apiUrl: child.ready.apiUrl,
      process: 'child',
      rssBytes: () => rssOf(child.ready.pid),
      collect: collectIn(child),
      onLogLine: (read) => {
        for (const stream of [child.process.stdout, child.process.stderr])
          if (stream) createInterface({ input: stream }).on('line', read);
      },
      close: async () => {
        await child.stop();
        await closeWorld();
      },
    };
  }
  // Tapped before the stack starts, so none of its info lines reach the terminal.
  const readers: Array<(line: string) => void> = [];
  const untap = tapProcessOutput((line) => {
    for (const read of readers) read(line);
  });
  const stack = await startTestStack({ ...options, logLevel: 'INFO' }).catch((err: unknown) => {
    untap();
    throw err;
  });
  return {
    ...common,
    apiUrl: stack.apiUrl,
    process: 'this',
    rssBytes: () => process.memoryUsage.rss(),
    collect: async () => {
      (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, external, arrayBuffers } = process.memoryUsage();
      return heldOf({ heapUsed, external, arrayBuffers, busEvents: stack.bus.published.length });
    },
    onLogLine: (read) => void readers.push(read),
    close: async () => {
      await stack.close();
      untap();
      await closeWorld();
    },
  };
};
