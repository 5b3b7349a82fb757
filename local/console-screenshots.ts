import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { silentLogger } from './local-logger.js';
import { type LocalStack, startLocalStack } from './stack.js';

/**
 * `npm run screenshots`: starts the service in memory, gives it some history (a warm pool, a few dozen clones over
 * half a minute, one that fails, one claim, one destroy), and photographs the console's main pages with the
 * Chromium of `local/chromium.ts` into `shared/console/screenshots/` (linked from the README).
 */
const OUT = join(import.meta.dirname, '..', 'shared', 'console', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const caller = (stack: LocalStack) => async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown> & { jobId?: string; jobs?: { jobId: string }[] };
};

const seed = async (stack: LocalStack): Promise<{ destroyed: string }> => {
  const call = caller(stack);
  await call('PUT', '/v1/pools/ci', { source: { path: '/DC0/vm/DC0_C0_RP0_VM0' }, spare: 2, max: 6, ttlMinutes: 30 });
  const sources = ['/DC0/vm/DC0_H0_VM0', '/DC0/vm/DC0_H0_VM1', '/DC0/vm/DC0_C0_RP0_VM1'];
  for (let round = 0; round < 6; round++) {
    const count = 1 + (round % 3);
    const labels = { team: round % 2 ? 'qa' : 'ci', build: String(4100 + round) };
    await call('POST', '/v1/clones', { source: { path: sources[round % 3] }, count, labels });
    if (round === 2) {
      stack.vcsim?.sim.injectFault({
        method: 'InstantClone_Task',
        effect: 'taskFault',
        fault: 'InvalidState',
        count: 1,
      });
      await call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' }, labels: { team: 'qa' } });
    }
    if (round === 3) await call('POST', '/v1/pools/ci/claim', { claimedBy: 'build-4103' });
    await sleep(4000);
  }
  const one = await call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM1' }, labels: { team: 'ci' } });
  await sleep(1500);
  await call('DELETE', `/v1/clones/${one.jobId}`);
  await call('POST', '/v1/clones', { source: { path: '/DC0/vm/DC0_H0_VM0' }, count: 2, labels: { team: 'ci' } });
  await sleep(2000);
  return { destroyed: String(one.jobId) };
};

const shoot = async (page: Page, hash: string, name: string, fullPage = false) => {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.waitForFunction('document.querySelector("[data-updated]")?.getAttribute("data-updated") !== ""');
  await sleep(1500);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`wrote ${join(OUT, `${name}.png`)}`);
};

const main = async () => {
  if (!chromiumAvailable()) throw new Error('no Chromium at /usr/bin/chromium (apt-get install -y chromium)');
  await mkdir(OUT, { recursive: true });
  const stack = await startLocalStack({ logger: silentLogger, poolScaleMs: 1000, simulator: { taskDurationMs: 400 } });
  const browser = await launchChromium();
  try {
    const { destroyed } = await seed(stack);
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${stack.consoleUrl}#token=${encodeURIComponent(stack.apiToken)}`);
    await shoot(page, '#/jobs', 'jobs');
    await shoot(page, `#/jobs/${destroyed}`, 'job');
    await shoot(page, '#/pools', 'pools', true);
    await shoot(page, '#/queue?window=5m', 'queue-time', true);
    await page.evaluate('location.hash = "#/new"');
    await page.getByLabel('Source VM (running)').fill('/DC0/vm/DC0_H0_VM0');
    await page.getByLabel('Lease (minutes)').fill('0');
    await page.getByRole('button', { name: 'Clone' }).click();
    await page.locator('[data-field-error]').first().waitFor();
    await page.screenshot({ path: join(OUT, 'clone-form.png') });
    await page.setViewportSize(PHONE);
    await shoot(page, '#/jobs', 'jobs-phone');
  } finally {
    await browser.close();
    await stack.close();
  }
};

main().catch((err: unknown) => {
  console.error(`screenshots failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
