import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedJob } from '#test/support/actions-runner';
import { ALLOWED_REPOSITORY, CI_AUDIENCE, CI_SOURCE, type CiStack, startCiStack } from '#test/support/ci-stack';
import { githubActionsClaims } from '#test/support/oidc-issuer';
import { until } from '#test/support/until';

let ci: CiStack;
const jobs: Array<ReturnType<typeof simulatedJob>> = [];

const job = (inputs: Record<string, string> = {}, idToken = true) => {
  const simulated = simulatedJob({
    inputs: { 'api-url': ci.stack.apiUrl, source: CI_SOURCE, ttl: '30', audience: CI_AUDIENCE, ...inputs },
    ...(idToken && { idToken: ci.idp.actions }),
  });
  jobs.push(simulated);
  return simulated;
};
const vm = (moref: string) => ci.stack.vcsim?.sim.getVm(moref);
const vmNamed = (name: string) => ci.stack.vcsim?.sim.findVmByName(name);

beforeAll(async () => {
  ci = await startCiStack({ guestIpDelayMs: 3_000 });
});

afterAll(async () => {
  for (const j of jobs) j.cleanUp();
  await ci?.close();
});

describe('The GitHub Action in a simulated Actions job, against the local stack under a policy allowing one repository', () => {
  it('clones with the job OIDC token, waits for the IP with progress in the log, sets the outputs; the post step destroys', async () => {
    // Prepare
    ci.idp.actionsClaims = githubActionsClaims(ALLOWED_REPOSITORY);
    const simulated = job({ 'wait-for': 'ip', labels: 'suite=action\nrun=1' });
    // Act
    const main = await simulated.main().done;
    const outputs = simulated.outputs();
    const existed = vm(outputs.moref ?? '');
    const post = await simulated.post();
    // Assess
    expect({ code: main.code, log: main.log }).toMatchObject({ code: 0, log: expect.stringMatching(/RUNNING/) });
    expect(main.log).toMatch(/^::add-mask::ey/m);
    expect(outputs).toEqual({
      'job-id': expect.stringMatching(/^[\w-]+$/),
      'vm-name': `instaclone-${outputs['job-id']}`,
      moref: expect.stringMatching(/^vm-\d+$/),
      ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      jobs: expect.any(String),
    });
    expect(existed).toMatchObject({ name: outputs['vm-name'] });
    expect(post.code).toBe(0);
    expect(post.log).toContain('DESTROYED');
    expect(vm(outputs.moref ?? '')).toBeUndefined();
  });

  it("refuses another repository's token with the policy's message, failing the step; the post step has nothing to do", async () => {
    // Prepare
    ci.idp.actionsClaims = githubActionsClaims('mallory/fork');
    const simulated = job();
    // Act
    const main = await simulated.main().done;
    const post = await simulated.post();
    // Assess
    expect(main.code).toBe(1);
    expect(main.log).toMatch(
      /^::error::the instaclone API answered 403 ACCESS_DENIED: Access denied: no rule grants "clone" to oidc:https:\/\/token\.actions\.githubusercontent\.com#repo:mallory\/fork:/m,
    );
    expect(simulated.outputs()).toEqual({});
    expect(post).toMatchObject({ code: 0, log: expect.stringContaining('nothing to destroy') });
  });

  it('destroys the clone in the post step of a job cancelled while the main step waited for the IP', async () => {
    // Prepare
    ci.idp.actionsClaims = githubActionsClaims(ALLOWED_REPOSITORY);
    const simulated = job({ 'wait-for': 'ip' });
    const main = simulated.main();
    const jobId = await until(() => simulated.state()['instaclone-jobs'] || undefined);
    const clone = await until(() => vmNamed(`instaclone-${jobId}`));
    // Act: the runner cancels the job (SIGINT, then SIGTERM), then runs the post steps
    main.child.kill('SIGINT');
    const cancelled = await main.done;
    const post = await simulated.post();
    // Assess
    expect(cancelled.signal).toBe('SIGINT');
    expect(post.code).toBe(0);
    expect(vm(clone.moref)).toBeUndefined();
  });

  it('leaves the clone to its TTL with keep: true', async () => {
    // Prepare
    ci.idp.actionsClaims = githubActionsClaims(ALLOWED_REPOSITORY);
    const simulated = job({ 'wait-for': 'task', keep: 'true' });
    // Act
    const main = await simulated.main().done;
    const post = await simulated.post();
    // Assess
    expect(main.code).toBe(0);
    expect(post.log).toContain('keep is true');
    expect(vm(simulated.outputs().moref ?? '')).toBeDefined();
  });

  it('says exactly what to add to the workflow when the job has no id-token permission', async () => {
    // Prepare
    const simulated = job({}, false);
    // Act
    const main = await simulated.main().done;
    // Assess
    expect(main.code).toBe(1);
    expect(main.log).toContain('::error::This job cannot request an OIDC token.');
    expect(main.log).toContain('permissions:%0A    id-token: write');
  });

  it("fails the step with the API's error when the clone fails", async () => {
    // Prepare
    ci.idp.actionsClaims = githubActionsClaims(ALLOWED_REPOSITORY);
    const source = vmNamed('DC0_H0_VM0')?.moref ?? '';
    ci.stack.vcsim?.sim.setPowerState(source, 'poweredOff');
    const simulated = job({ 'wait-for': 'task' });
    // Act
    const main = await simulated.main().done;
    ci.stack.vcsim?.sim.setPowerState(source, 'poweredOn');
    // Assess
    expect(main.code).toBe(1);
    expect(main.log).toMatch(/^::error::clone [\w-]+ FAILED: VCENTER_FAULT InvalidPowerState: /m);
  });
});
