import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_REPOSITORY, CI_AUDIENCE, CI_SOURCE, type CiStack, startCiStack } from '#test/support/ci-stack';
import { runCliInProcess } from '#test/support/cli-in-process';
import { githubActionsClaims } from '#test/support/oidc-issuer';

let ci: CiStack;
const dir = mkdtempSync(join(tmpdir(), 'instaclone-cli-oidc-'));

const cli = (args: string[], env: Record<string, string>) =>
  runCliInProcess(args, { INSTACLONE_API_URL: ci.stack.apiUrl, ...env });
const githubToken = (repository: string) => ci.idp.sign({ ...githubActionsClaims(repository), aud: CI_AUDIENCE });

beforeAll(async () => {
  ci = await startCiStack();
});

afterAll(async () => {
  await ci?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI with an OIDC token, against the local stack under a policy that allows one repository', () => {
  it('clones with INSTACLONE_OIDC_TOKEN as the allowed repository, recorded as that OIDC principal', async () => {
    // Prepare
    const env = { INSTACLONE_OIDC_TOKEN: await githubToken(ALLOWED_REPOSITORY) };
    // Act
    const made = await cli(['clone', '--source', CI_SOURCE, '--ttl', '30', '--wait', '--json'], env);
    // Assess
    expect({ code: made.code, stderr: made.stderr }).toEqual({ code: 0, stderr: '' });
    const job = JSON.parse(made.stdout) as { jobId: string; status: string; requestedBy: { id: string } };
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      requestedBy: {
        id: expect.stringMatching(/^oidc:https:\/\/token\.actions\.githubusercontent\.com#repo:acme\/app:/),
      },
    });
    expect((await cli(['destroy', job.jobId, '--wait'], env)).code).toBe(0);
  });

  it('reads --oidc-token-file before every request, so a token the CI platform refreshes keeps working', async () => {
    // Prepare: a token file, replaced with a fresh token between the submit and the destroy
    const file = join(dir, 'token');
    writeFileSync(file, `${await githubToken(ALLOWED_REPOSITORY)}\n`);
    const made = await cli(
      ['clone', '--source', CI_SOURCE, '--ttl', '30', '--oidc-token-file', file, '--wait', '--json'],
      {},
    );
    const { jobId } = JSON.parse(made.stdout) as { jobId: string };
    writeFileSync(file, await githubToken(ALLOWED_REPOSITORY));
    // Act
    const destroyed = await cli(['destroy', jobId, '--wait', '--oidc-token-file', file, '--json'], {});
    // Assess
    expect(made.code).toBe(0);
    expect({ code: destroyed.code, status: (JSON.parse(destroyed.stdout) as { status: string }).status }).toEqual({
      code: 0,
      status: 'DESTROYED',
    });
  });

  it("refuses another repository's token with the policy's message and exit code 3", async () => {
    // Prepare
    const env = { INSTACLONE_OIDC_TOKEN: await githubToken('mallory/fork') };
    // Act
    const refused = await cli(['clone', '--source', CI_SOURCE, '--ttl', '30'], env);
    // Assess
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /the API answered 403 ACCESS_DENIED: Access denied: no rule grants "clone" to oidc:/,
    );
  });

  it('refuses a token minted for another audience with 401, before anything is stored', async () => {
    // Prepare
    const env = {
      INSTACLONE_OIDC_TOKEN: await ci.idp.sign({
        ...githubActionsClaims(ALLOWED_REPOSITORY),
        aud: 'sts.amazonaws.com',
      }),
    };
    // Act
    const refused = await cli(['clone', '--source', CI_SOURCE, '--ttl', '30'], env);
    // Assess
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('the API answered 401 UNAUTHORIZED');
  });

  it('says what is wrong with a token file before sending anything (exit code 2)', async () => {
    // Prepare
    const notAJwt = join(dir, 'not-a-jwt');
    writeFileSync(notAJwt, 'hello');
    // Act
    const missing = await cli(['get', 'x', '--oidc-token-file', join(dir, 'nope')], {});
    const garbled = await cli(['get', 'x', '--oidc-token-file', notAJwt], {});
    const both = await cli(['get', 'x', '--oidc-token-file', notAJwt, '--token', 'abc'], {});
    // Assess
    expect([missing.code, garbled.code, both.code]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain('ENOENT');
    expect(garbled.stderr).toContain('does not hold a JWT');
    expect(both.stderr).toContain('not both');
  });
});
