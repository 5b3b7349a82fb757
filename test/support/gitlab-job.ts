import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..');

type InputSpec = { default?: string | number | boolean; options?: string[]; type?: string };
export type GitlabJob = {
  image: string;
  id_tokens: Record<string, { aud: string }>;
  variables: Record<string, string>;
  before_script: string[];
  after_script: string[];
};

/**
 * A CI/CD component of `templates/` as GitLab includes it: the spec's inputs (given, else their defaults; a missing
 * required input or a value outside `options` throws, as GitLab refuses the pipeline) interpolated into `$[[ inputs.x ]]`,
 * then the jobs it defines.
 */
export const includeComponent = (name: string, given: Record<string, string>): Record<string, GitlabJob> => {
  const [header = '', body = ''] = readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8').split(/^---$/m);
  const inputs = (parse(header) as { spec: { inputs: Record<string, InputSpec | null> } }).spec.inputs;
  const values = Object.fromEntries(
    Object.entries(inputs).map(([key, spec]) => {
      const value = given[key] ?? spec?.default;
      if (value === undefined) throw new Error(`input ${key} is required`);
      if (spec?.options && !spec.options.includes(String(value)))
        throw new Error(`input ${key}: not one of the options`);
      return [key, String(value)];
    }),
  );
  for (const key of Object.keys(given)) if (!(key in inputs)) throw new Error(`unknown input ${key}`);
  const interpolated = body.replace(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g, (_m, key: string) => values[key] ?? '');
  return parse(interpolated) as Record<string, GitlabJob>;
};

export type ScriptRun = { code: number | null; output: string };

/**
 * Runs a job as a shell executor does: `before_script` and `script` in one bash, then `after_script` in another
 * (whatever the first did), each with the job's variables, `env` (what GitLab provides: CI_*, the id_tokens) and the
 * project directory as the working directory.
 */
export const runGitlabJob = async (job: GitlabJob, script: string[], env: Record<string, string>, cwd: string) => {
  const run = (lines: string[], extra: Record<string, string> = {}) =>
    new Promise<ScriptRun>((resolve) => {
      const child = spawn('bash', ['-c', lines.join('\n')], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...job.variables, ...env, ...extra },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
  const main = await run([...job.before_script, ...script]);
  const after = await run(job.after_script, { CI_JOB_STATUS: main.code === 0 ? 'success' : 'failed' });
  return { main, after };
};
