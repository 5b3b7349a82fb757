import { fileURLToPath } from 'node:url';
import { spawnTsx, type TsxChild } from './child-process.js';
import { READY_KIND, type StackProcessConfig, type StackReady } from './stack-process-config.js';

const STACK_ENTRY = fileURLToPath(new URL('./stack-process.ts', import.meta.url));
const VCSIM_ENTRY = fileURLToPath(new URL('../vcsim/cli.ts', import.meta.url));

/** A local stack in its own process. */
export type StackChild = TsxChild & { readonly ready: StackReady };

/** A vCenter simulator in its own process (`npm run vcsim`), so its inventory outlives stack restarts. */
export type VcsimChild = TsxChild & {
  /** SDK URL, e.g. `http://127.0.0.1:PORT/sdk`. */
  readonly url: string;
  /** Base of the loopback admin API, e.g. `http://127.0.0.1:PORT/vcsim`. */
  readonly admin: string;
};

const parseReady = (line: string): StackReady | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { kind?: unknown };
    return value.kind === READY_KIND ? (value as StackReady) : undefined;
  } catch {
    return undefined;
  }
};

/** Starts `stack-process.ts` with `config` and resolves once it printed its addresses. */
export async function spawnStack(
  config: StackProcessConfig,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<StackChild> {
  const { child, ready } = await spawnTsx(STACK_ENTRY, [JSON.stringify(config)], parseReady, {
    timeoutMs: options.timeoutMs ?? 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
  });
  return Object.assign(child, { ready });
}

/** Starts the simulator CLI on a free loopback port with `args` (e.g. `--task-duration-ms 200`). */
export async function spawnVcsim(args: string[] = []): Promise<VcsimChild> {
  const { child, ready } = await spawnTsx(
    VCSIM_ENTRY,
    ['--listen', '127.0.0.1:0', ...args],
    (line) => line.match(/^vcsim listening: (\S+)/)?.[1],
    { timeoutMs: 30_000 },
  );
  return Object.assign(child, { url: ready, admin: ready.replace(/\/sdk$/, '/vcsim') });
}
