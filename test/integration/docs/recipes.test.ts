import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, recipeScript } from '#test/support/recipe-script';

const dirs: string[] = [];
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Runs a recipe's script in bash from the repository, with what a pipeline and the reader's shell would have. */
const runRecipe = async (name: string, fromHeading?: string) => {
  const dir = mkdtempSync(join(tmpdir(), `instaclone-recipe-${name}-`));
  dirs.push(dir);
  const script = recipeScript(name, { '9000': await freePort(), '9001': await freePort() }, fromHeading);
  return new Promise<{ code: number | null; output: string; log: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: REPO,
      env: {
        ...process.env,
        REPO,
        PORT: '0',
        TMPDIR: dir,
        INSTACLONE_DATA_DIR: join(dir, '.instaclone'),
        RECIPE_LOG: join(dir, 'npm-start.log'),
        CI_PROJECT_DIR: dir,
        CI_JOB_ID: '4242',
        CI_PIPELINE_ID: '777',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => {
      const log = existsSync(join(dir, 'npm-start.log')) ? readFileSync(join(dir, 'npm-start.log'), 'utf8') : '';
      resolve({ code, output, log });
    });
  });
};

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('The recipes in examples/ run as written against npm start', () => {
  it('pipelines: the CLI (IP waited for), the GitLab job, the generic trigger and a verified callback', async () => {
    // Act
    const run = await runRecipe('pipelines');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.log).toContain('/v1/hooks/generic on');
    expect(run.output).toMatch(/^instaclone-\S+ \d+\.\d+\.\d+\.\d+$/m);
    expect(run.output).toMatch(/^ip\s+\d+\.\d+\.\d+\.\d+$/m);
    expect(run.output).toMatch(/status\s+DESTROYED/);
    expect(run.output).toContain('run-tests.sh 10.');
    expect(run.output).toMatch(/"status":"QUEUED"/);
    expect(run.output).toMatch(/^Clone Succeeded \S+ SUCCEEDED$/m);
  }, 180_000);

  it('github-runner: a signed workflow_job delivery against the local GitHub stand-in, then its duplicate', async () => {
    // Act
    const run = await runRecipe('github-runner', '## Try the webhook locally');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.log).toContain('/v1/hooks/github on');
    expect(run.output).toContain('{"outcome":"submitted","jobId":"github-job-2832853555","pool":"linux"}');
    expect(run.output).toContain('{"outcome":"duplicate"');
  }, 120_000);

  it('slack: a signed /clone command', async () => {
    // Act
    const run = await runRecipe('slack');
    // Assess
    expect(run.code, run.output).toBe(0);
    expect(run.log).toContain('/v1/chat/slack on');
    expect(run.output).toContain('"response_type":"ephemeral"');
  }, 120_000);
});
