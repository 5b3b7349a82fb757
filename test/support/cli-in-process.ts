import { PassThrough } from 'node:stream';
import { runCli } from '../../cli/instaclone.js';

/** The CLI in this process (no tsx start-up per call) with `env`: its exit code and what it printed. */
export const runCliInProcess = async (args: string[], env: Record<string, string | undefined>) => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runCli(args, { env, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
};
