import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '#local/chromium';
import type { LocalStack } from '#local/stack';
import { PolicySchema } from '#shared/access/model/policy';
import { apiClient } from '#test/support/api-client';
import { startTestStack } from '#test/support/test-stack';

const chromium = chromiumAvailable();
if (!chromium) {
  console.warn('console browser tests SKIPPED: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');
}

/** The stack's own token may do anything; a viewer's may read and list every job but clone nothing. */
const VIEWER_TOKEN = 'viewer-token-for-the-console-tests';
const policy = PolicySchema.parse({
  version: '1',
  rules: [
    { id: 'operators', principals: [{ id: 'token:default' }], actions: ['admin'] },
    { id: 'viewers', principals: [{ id: 'token:viewer' }], actions: ['list', 'read'], scope: 'all' },
  ],
});

let stack: LocalStack;
let browser: Browser;
let api: ReturnType<typeof apiClient>;

/** A page signed in through the URL fragment, as `npm start` prints it. */
const openConsole = async (
  hash = '',
  viewport = { width: 1280, height: 800 },
  token = stack.apiToken,
): Promise<Page> => {
  const page = await browser.newPage({ viewport });
  await page.goto(`${stack.consoleUrl}#token=${encodeURIComponent(token)}`);
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  if (hash) await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  return page;
};

beforeAll(async () => {
  if (!chromium) return;
  // One worker slot, so a slow clone can hold a second one in the queue for the test to watch.
  [stack, browser] = await Promise.all([
    startTestStack({ maxConcurrency: 1, poolScaleMs: 500, policy, tokens: { viewer: VIEWER_TOKEN } }),
    launchChromium(),
  ]);
  api = apiClient(stack);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.skipIf(!chromium)('Console in headless Chromium, against npm start’s stack', () => {
  it('takes the token from the URL fragment, out of the address bar, and shows when it last updated', async () => {
    // Act
    const page = await openConsole();
    // Assess
    expect(page.url()).not.toContain('token');
    await expect.poll(() => page.locator('[data-updated]').getAttribute('data-updated')).not.toBe('');
    await expect.poll(() => page.locator('.updated').textContent()).toMatch(/^Last updated \d\d:\d\d:\d\d$/);
    await page.close();
  });

  it('shows the API’s own message when the token is wrong, on the sign-in form', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(stack.consoleUrl);
    // Act
    await page.getByLabel('API token').fill('not-the-token-at-all');
    await page.getByLabel('API token').press('Enter');
    // Assess
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The API refused the token: unknown bearer token');
    await page.close();
  });

  it('submits a clone from the form and follows it QUEUED → SUCCEEDED without a reload, then destroys it', async () => {
    // Prepare: a slow clone holds the only worker slot, so the form's clone has to wait in the queue.
    stack.vcsim?.sim.injectFault({ method: 'InstantClone_Task', effect: 'slow', delayMs: 2500, count: 1 });
    const blocker = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' } });
    await api.waitFor(String(blocker.json.jobId), (job) => job.status === 'RUNNING');
    const page = await openConsole('#/new');
    await page.evaluate('window.sameDocument = true');
    // Act
    await page.getByLabel('Source VM (running)').fill('/DC0/vm/DC0_H0_VM1');
    await page.getByLabel('Labels').fill('team=console, case=flow');
    await page.getByRole('button', { name: 'Clone' }).click();
    // Assess: the job page follows the job live.
    const status = page.locator('dl.facts [data-status]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 5000, interval: 50 }).toBe('QUEUED');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('SUCCEEDED');
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    const done = page.locator('.step-done');
    await expect
      .poll(() => done.evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step'))))
      .toEqual(['accepted', 'queued', 'started', 'taskStarted', 'taskEnded', 'ready']);
    expect(await page.locator('[data-step="started"] .muted').textContent()).toMatch(/\(\+\d/);
    expect(await page.locator('.events').textContent()).toContain('Clone Succeeded');

    // Act: destroy it from the keyboard, through the confirmation.
    await page.getByRole('button', { name: 'Destroy…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Destroy clone');
    await page.keyboard.press('Enter');
    // Assess
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('DESTROYED');
    await expect.poll(() => page.locator('.step-done').count()).toBe(7);
    expect(await page.getByRole('button', { name: 'Destroy…' }).count()).toBe(0);
    await page.close();
  });

  it('lists jobs newest first, filters them by status and label, and fits a phone screen', async () => {
    // Prepare
    await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' }, labels: { team: 'filters' } });
    const page = await openConsole('#/jobs?label=team%3Dfilters', { width: 390, height: 844 });
    // Act
    const rows = page.locator('table.jobs tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Status').selectOption('FAILED');
    // Assess
    await expect.poll(() => page.locator('caption').textContent()).toBe('0 jobs, newest first');
    await page.getByLabel('Status').selectOption('');
    await expect.poll(() => rows.first().locator('[data-label="Labels"]').textContent()).toBe('team=filters');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.close();
  });

  it('shows the API’s field errors inline under the field they name', async () => {
    // Prepare
    const page = await openConsole('#/new');
    // Act
    await page.getByLabel('Source VM (running)').fill('/DC0/vm/DC0_H0_VM0');
    await page.getByLabel('Lease (minutes)').fill('0');
    await page.getByLabel('Count').fill('1000');
    await page.getByRole('button', { name: 'Clone' }).click();
    // Assess
    await expect
      .poll(() => page.locator('[data-field-error="ttlMinutes"]').textContent())
      .toMatch(/>=\s?1|at least|too small/i);
    expect(await page.locator('[data-field-error="count"]').textContent()).toMatch(/100/);
    expect(await page.getByLabel('Lease (minutes)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('The API refused the request: Invalid request');
    await page.close();
  });

  it('shows the API’s 403 message when the policy does not let the caller clone', async () => {
    // Prepare
    const page = await openConsole('#/new', undefined, VIEWER_TOKEN);
    // Act
    await page.getByLabel('Source VM (running)').fill('/DC0/vm/DC0_H0_VM0');
    await page.getByRole('button', { name: 'Clone' }).click();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Access denied: no rule grants "clone" to token:viewer');
    expect(await api.call('GET', '/v1/clones?requestedBy=token:viewer')).toMatchObject({ json: { jobs: [] } });
    await page.close();
  });

  it('shows the API’s 403 message when the policy does not let the caller destroy, and the clone stays', async () => {
    // Prepare: a clone of the stack's own token, which the viewer may read but not destroy.
    const made = await api.call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' } });
    const jobId = String(made.json.jobId);
    await api.waitFor(jobId, (job) => job.status === 'SUCCEEDED');
    const page = await openConsole(`#/jobs/${jobId}`, undefined, VIEWER_TOKEN);
    // Act
    await page.getByRole('button', { name: 'Destroy…' }).click();
    await page.getByRole('button', { name: 'Destroy clone' }).click();
    // Assess
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/^Destroy refused: Access denied: .*token:viewer.*\(403 ACCESS_DENIED\)$/);
    expect(await page.locator('dl.facts [data-status]').getAttribute('data-status')).toBe('SUCCEEDED');
    expect(await api.call('GET', `/v1/clones/${jobId}`)).toMatchObject({ json: { status: 'SUCCEEDED' } });
    await page.close();
  });

  it('shows a pool filling up, and a claim from it', async () => {
    // Prepare
    await api.call('PUT', '/v1/pools/console', { source: { path: '/DC0/vm/DC0_C0_RP0_VM0' }, spare: 1, max: 3 });
    const page = await openConsole('#/pools');
    const pool = page.locator('section', { has: page.getByRole('heading', { name: 'Pool console' }) });
    // Act
    await expect.poll(() => pool.locator('[data-count="ready"]').textContent(), { timeout: 15_000 }).toBe('1');
    await pool.getByRole('button', { name: 'Claim a clone' }).click();
    // Assess
    await expect.poll(() => pool.getByRole('status').textContent()).toMatch(/^Claimed instaclone-.*, a ready spare\.$/);
    await expect.poll(() => pool.locator('[data-count="claimed"]').textContent()).toBe('1');
    await expect.poll(() => pool.locator('table.claimed tbody tr').count()).toBe(1);
    expect(await pool.locator('[data-health]').getAttribute('data-health')).toBe('ok');
    await page.close();
  });

  it('charts queue time from /v1/stats and shows the DLQ depth from /v1/status', async () => {
    // Prepare
    const page = await openConsole('#/queue');
    // Act
    const accepted = page.locator('[data-total="accepted"]');
    await expect.poll(() => accepted.textContent()).not.toBeNull();
    // Assess
    // Answers are reused for 10 s, so this may not count the jobs of the tests just before.
    expect(Number(await accepted.textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('figure.chart').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('figure svg[role="img"]').first().getAttribute('aria-label')).toMatch(/Latest: p50 /);
    await expect.poll(() => page.locator('[data-dlq]').getAttribute('data-dlq')).toBe('0');
    await page.close();
  });
});
