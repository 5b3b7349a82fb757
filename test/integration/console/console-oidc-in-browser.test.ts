import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '#local/chromium';
import type { LocalStack } from '#local/stack';
import { PolicySchema } from '#shared/access/model/policy';
import { apiClient } from '#test/support/api-client';
import { startTestOidcIssuer, TEST_USER, type TestOidcIssuer } from '#test/support/oidc-issuer';
import { startTestStack } from '#test/support/test-stack';

const chromium = chromiumAvailable();
if (!chromium) {
  console.warn('console OIDC browser tests SKIPPED: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');
}

const CLIENT_ID = 'instaclone-console';
const TOKEN_KEY = 'instaclone.oidc.idToken';

let oidc: TestOidcIssuer;
let stack: LocalStack;
let browser: Browser;
let api: ReturnType<typeof apiClient>;

/** A fresh tab on the console, signed in at the stand-in issuer with the button, back on the jobs page. */
const signIn = async (): Promise<Page> => {
  const page = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  return page;
};

beforeAll(async () => {
  if (!chromium) return;
  oidc = await startTestOidcIssuer({ login: { clientId: CLIENT_ID } });
  // People of example.test may clone and see their own jobs; the stack's own token stays admin for the checks.
  const policy = PolicySchema.parse({
    version: '1',
    issuers: [{ issuer: oidc.issuer, audience: CLIENT_ID }],
    rules: [
      { id: 'operators', principals: [{ id: 'token:default' }], actions: ['admin'] },
      {
        id: 'people',
        principals: [{ issuer: oidc.issuer, claims: { email: '*@example.test' } }],
        actions: ['clone', 'read', 'list', 'destroy'],
        resources: { sources: ['/DC0/vm/DC0_H0_VM0'] },
        scope: 'own',
      },
    ],
  });
  [stack, browser] = await Promise.all([
    startTestStack({
      policy,
      consoleOidc: {
        version: '1',
        issuer: oidc.issuer,
        clientId: CLIENT_ID,
        scopes: ['openid', 'email'],
        name: 'Test IdP',
      },
    }),
    launchChromium(),
  ]);
  oidc.login.redirectUris = [stack.consoleUrl];
  api = apiClient(stack);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await oidc?.close();
});
beforeEach(() => {
  if (oidc) oidc.login.user = { ...TEST_USER };
});

describe.skipIf(!chromium)('Console OIDC sign-in in headless Chromium, against npm start’s stack', () => {
  it('signs in at the issuer, clones from the form as the OIDC person, and signs out', async () => {
    // Act
    const page = await signIn();
    // Assess: signed in, the code out of the address bar, the ID token in this tab's sessionStorage.
    expect(page.url()).toBe(`${stack.consoleUrl}#/jobs`);
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toMatch(/^ey/);
    expect(oidc.requests).toEqual(
      expect.arrayContaining(['/.well-known/openid-configuration', '/authorize', '/token']),
    );

    // Act: a clone from the form.
    await page.evaluate('location.hash = "#/new"');
    await page.getByLabel('Source VM (running)').fill('/DC0/vm/DC0_H0_VM0');
    await page.getByRole('button', { name: 'Clone' }).click();
    // Assess: the job page names the person, and the API recorded the OIDC principal.
    const facts = page.locator('dl.facts').first();
    await expect.poll(() => facts.textContent()).toContain(TEST_USER.email);
    const jobId = /#\/jobs\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    const job = await api.call('GET', `/v1/clones/${jobId}`);
    expect(job.json.requestedBy).toMatchObject({ id: `oidc:${oidc.issuer}#${TEST_USER.sub}`, kind: 'oidc' });

    // Act: sign out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Assess
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).waitFor();
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    await page.close();
  });

  it('refuses an answer whose state is not the one this tab sent, and trades no code', async () => {
    // Prepare: the "issuer" answers with someone else's state (a login CSRF), as an attacker's link would.
    const page = await browser.newPage();
    await page.route(`${oidc.issuer}/authorize**`, (route) =>
      route.fulfill({ status: 302, headers: { location: `${stack.consoleUrl}?code=stolen&state=forged` } }),
    );
    await page.goto(stack.consoleUrl);
    const tokenCalls = oidc.requests.filter((path) => path === '/token').length;
    // Act
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('does not belong to the sign-in this tab started (its state differs)');
    expect(page.url()).not.toContain('code=');
    expect(oidc.requests.filter((path) => path === '/token')).toHaveLength(tokenCalls);
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    await page.close();
  });

  it('shows the issuer’s own reason when it refuses the sign-in', async () => {
    // Prepare: the person declines at the issuer, which sends the browser back with an error and the right state.
    const page = await browser.newPage();
    await page.route(`${oidc.issuer}/authorize**`, (route) => {
      const state = new URL(route.request().url()).searchParams.get('state') ?? '';
      const back = `${stack.consoleUrl}?error=access_denied&error_description=The+person+declined&state=${state}`;
      return route.fulfill({ status: 302, headers: { location: back } });
    });
    await page.goto(stack.consoleUrl);
    // Act
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The sign-in did not finish: Test IdP refused the sign-in: The person declined');
    await page.close();
  });

  it('shows the API’s 403 to a person the policy does not admit', async () => {
    // Prepare
    oidc.login.user = { sub: 'mallory', email: 'mallory@elsewhere.test' };
    // Act
    const page = await signIn();
    // Assess
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Could not list jobs');
    expect(await alert.textContent()).toMatch(/Could not list jobs: Access denied.*\(403 ACCESS_DENIED\)/);
    await page.close();
  });

  it('sends a person whose ID token expired back to sign in, saying so', async () => {
    // Prepare: signed in, then the token in the tab is one that expired a minute ago.
    const page = await signIn();
    const expired = await oidc.sign({ ...TEST_USER, aud: CLIENT_ID }, { expiresInSeconds: -60 });
    await page.evaluate(`sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(expired)})`);
    // Act
    await page.reload();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/Your sign-in expired at \d\d:\d\d:\d\d/);
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).waitFor();
    expect(await page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`)).toBeNull();
    await page.close();
  });
});

describe('A local stack whose console issuer the policy does not trust', () => {
  it('does not start, naming the setting and the field', async () => {
    // Act / Assess: refused before anything starts, so nothing is left running.
    await expect(
      startTestStack({
        consoleOidc: { version: '1', issuer: 'https://sso.example.com', clientId: CLIENT_ID, scopes: ['openid'] },
      }),
    ).rejects.toThrow(
      "INSTACLONE_CONSOLE_OIDC.issuer: https://sso.example.com is not among the access policy's issuers",
    );
  });
});
