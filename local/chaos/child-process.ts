import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child started by {@link spawnTsx}: its process, every stderr line so far, and ways to end it. */
export type TsxChild = {
  readonly process: ChildProcess;
  /** Lines the child wrote to stdout/stderr (kept for the secret scan and for failure reports). */
  readonly output: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the process dies at once, mid-whatever it was doing. Resolves once it has exited. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
};

/**
 * Runs a TypeScript entry with `node --import tsx` and resolves once `isReady` accepts one of its stdout lines,
 * with the value it returned. Rejects when the child exits first or `timeoutMs` passes (the child is killed).
 * `env` is added to this process's environment.
 */
export async function spawnTsx<T>(
  entry: string,
  args: string[],
  isReady: (line: string) => T | undefined,
  options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<{ child: TsxChild; ready: T }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const kill = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const child: TsxChild = { process: proc, output, stop, kill, exited };
  createInterface({ input: proc.stderr }).on('line', (line) => output.push(line));
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`${entry} was not ready after ${options.timeoutMs ?? 30_000} ms:\n${output.join('\n')}`));
    }, options.timeoutMs ?? 30_000);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      output.push(line);
      const value = isReady(line);
      if (value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code}) before it was ready:\n${output.join('\n')}`));
    });
  });
  return { child, ready };
}
