import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOWED_REPOSITORY,
  CI_AUDIENCE,
  CI_SOURCE,
  type CiStack,
  gitlabClaims,
  startCiStack,
} from '#test/support/ci-stack';
import { includeComponent, runGitlabJob } from '#test/support/gitlab-job';

const CLI = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'cli', 'dist', 'instaclone.mjs')).href;
let ci: CiStack;
const dirs: string[] = [];

/** The component's hidden job, included with these inputs, run for `project` as GitLab would. */
const pipeline = async (project: string, inputs: Record<string, string>, script: string[]) => {
  const { '.instaclone': job } = includeComponent('clone', {
    'api-url': ci.stack.apiUrl,
    source: CI_SOURCE,
    'cli-url': CLI,
    ttl: '30',
    audience: CI_AUDIENCE,
    ...inputs,
  });
  if (!job) throw new Error('the component defines no .instaclone job');
  const dir = mkdtempSync(join(tmpdir(), 'instaclone-gitlab-'));
  dirs.push(dir);
  const aud = job.id_tokens.INSTACLONE_OIDC_TOKEN?.aud ?? '';
  const env = {
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: dir,
    CI_PROJECT_PATH: project,
    CI_PIPELINE_ID: '777',
    CI_JOB_ID: '4242',
    CI_SERVER_URL: 'https://gitlab.com',
    INSTACLONE_OIDC_TOKEN: await ci.idp.sign({ ...gitlabClaims(project), aud }),
  };
  return { job, ...(await runGitlabJob(job, script, env, dir)) };
};
const vmNamed = (name: string) => ci.stack.vcsim?.sim.findVmByName(name);

beforeAll(async () => {
  ci = await startCiStack();
});

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await ci?.close();
});

describe('The GitLab CI/CD component, its scripts run in bash with the variables GitLab provides, against the local stack', () => {
  it("clones with the job's id_token, waits for the IP, hands it to the job's script; after_script destroys", async () => {
    // Act
    const run = await pipeline(ALLOWED_REPOSITORY, { labels: 'suite=gitlab team=ci' }, [
      'echo "script sees $INSTACLONE_VM_NAME at $INSTACLONE_IP"',
      'node -e "process.exit(require(\'node:net\').isIP(process.argv[1]) ? 0 : 1)" "$INSTACLONE_IP"',
    ]);
    // Assess
    expect(run.job.id_tokens).toEqual({ INSTACLONE_OIDC_TOKEN: { aud: CI_AUDIENCE } });
    expect(run.main).toMatchObject({
      code: 0,
      output: expect.stringMatching(/script sees instaclone-[\w-]+ at \d+\.\d+\.\d+\.\d+/),
    });
    const name = /script sees (\S+) at/.exec(run.main.output)?.[1] ?? '';
    expect(run.after).toMatchObject({ code: 0, output: expect.stringMatching(/status\s+DESTROYED/) });
    expect(vmNamed(name)).toBeUndefined();
  });

  it("refuses another project's token with the policy's message and fails the job before its script", async () => {
    // Act
    const run = await pipeline('mallory/fork', {}, ['echo "the script ran"']);
    // Assess
    expect(run.main.code).not.toBe(0);
    expect(run.main.output).toContain(
      'the API answered 403 ACCESS_DENIED: Access denied: no rule grants "clone" to oidc:https://gitlab.com#project_path:mallory/fork',
    );
    expect(run.main.output).not.toContain('the script ran');
    expect(run.after).toMatchObject({ code: 0, output: expect.stringContaining('no clone was requested') });
  });

  it('destroys the clone in after_script when the job script failed, and keeps it with keep: true', async () => {
    // Act
    const failed = await pipeline(ALLOWED_REPOSITORY, { 'wait-for': 'task' }, [
      'echo "vm $INSTACLONE_VM_NAME"',
      'exit 3',
    ]);
    const kept = await pipeline(ALLOWED_REPOSITORY, { 'wait-for': 'task', keep: 'true' }, [
      'echo "vm $INSTACLONE_VM_NAME"',
    ]);
    // Assess
    const nameIn = (output: string) => /vm (\S+)/.exec(output)?.[1] ?? '';
    expect(failed.main.code).toBe(3);
    expect(vmNamed(nameIn(failed.main.output))).toBeUndefined();
    expect(kept.after.output).toContain('keep is true');
    expect(vmNamed(nameIn(kept.main.output))).toBeDefined();
  });
});
