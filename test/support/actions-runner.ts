import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Reads a file command file (`GITHUB_OUTPUT`, `GITHUB_STATE`): `name<<DELIM` … `DELIM` entries and `name=value` lines. */
export const readFileCommands = (path: string): Record<string, string> => {
  const lines = readFileSync(path, 'utf8').split('\n');
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] ?? '', i + 1);
      values[heredoc[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return values;
};

export type StepRun = { code: number | null; signal: NodeJS.Signals | null; log: string };

/**
 * One job of a simulated GitHub Actions runner for this repository's action: each step runs the committed bundle
 * (`node action/dist/<step>.mjs`) as the runner does, with the inputs as `INPUT_*`, `GITHUB_OUTPUT` and `GITHUB_STATE`
 * files, the job's `ACTIONS_ID_TOKEN_REQUEST_*` (absent without `id-token: write`), and, for the post step, the main
 * step's state as `STATE_*`.
 */
export const simulatedJob = (options: {
  inputs: Record<string, string>;
  idToken?: { url: string; token: string };
  env?: Record<string, string>;
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'instaclone-gha-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state') };
  writeFileSync(files.GITHUB_OUTPUT, '');
  writeFileSync(files.GITHUB_STATE, '');
  const env = (extra: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    RUNNER_TEMP: dir,
    ...files,
    ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...(options.idToken && {
      ACTIONS_ID_TOKEN_REQUEST_URL: options.idToken.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: options.idToken.token,
    }),
    ...options.env,
    ...extra,
  });
  const start = (step: 'main' | 'post', extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [join(ROOT, 'action', 'dist', `${step}.mjs`)], {
      env: env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const done = new Promise<StepRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, log })));
    return { child: child as ChildProcess, done };
  };
  return {
    /** Starts the main step; `done` resolves when it exits (or is killed, as a cancelled job's step is). */
    main: () => start('main'),
    /** Runs the post step with the state the main step saved. */
    post: () => start('post', prefixed('STATE_', readFileCommands(files.GITHUB_STATE))).done,
    outputs: () => readFileCommands(files.GITHUB_OUTPUT),
    state: () => readFileCommands(files.GITHUB_STATE),
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
};

const prefixed = (prefix: string, values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
