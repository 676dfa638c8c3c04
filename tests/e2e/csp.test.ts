import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { PASSWORD } from '../helpers/staff-fixture';
import { CURRENT, current, startVillagerWorld, waitForPage, type VillagerWorld } from './villager-seed';

const describeInBrowser = browserAvailable() ? describe : describe.skip;

/**
 * The built H5 app under the page's Content-Security-Policy in real Chromium: every page a
 * villager or an accountant opens works and the browser reports no violation (a blocked script,
 * style, image, font or API call would show up here before it shows up as a broken page).
 */
describeInBrowser('the H5 app runs under its Content-Security-Policy', () => {
  let world: VillagerWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let violations: string[];

  beforeAll(async () => {
    world = await startVillagerWorld();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    violations = [];
    await context.exposeBinding('reportViolation', (_source, text: string) => void violations.push(text));
    await context.addInitScript(() => {
      const g = globalThis as any;
      g.document.addEventListener('securitypolicyviolation', (e: any) =>
        g.reportViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI}${e.sample ? `: ${e.sample}` : ''}`),
      );
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });
  afterEach(async () => context.close());

  test('villager pages: home, village, month, receipt, search', async () => {
    const { villageA1, townA } = world.staff;
    const base = world.server.baseUrl;
    const response = await page.goto(base + '/');
    expect(response!.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await waitForPage(page, '.town-item');
    await page.goto(`${base}/pages/village/index?villageId=${villageA1}`);
    await waitForPage(page, '.month-item');
    await page.goto(`${base}/pages/month/index?villageId=${villageA1}&month=2026-10`);
    await waitForPage(page, '.receipt-row');
    // Thumbnails (lazy, from this origin) load once in view.
    await current(page).locator('.receipt-row img').first().scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => {
      const img = (globalThis as any).document.querySelector(sel) as any;
      return img && img.getAttribute('src') && img.complete;
    }, `${CURRENT} .receipt-row img`);
    const receipt = world.october[0];
    await page.goto(`${base}/pages/receipt/index?id=${receipt.id}&villageId=${villageA1}&month=2026-10`);
    await waitForPage(page, '.receipt-image img');
    await page.waitForFunction((sel) => {
      const img = (globalThis as any).document.querySelector(sel) as any;
      return img && img.complete && img.naturalWidth > 0;
    }, `${CURRENT} .receipt-image img`);
    // The chain check fetches manifests from the API and hashes them in the page.
    await current(page).locator('.chain-result.is-ok').waitFor();
    await page.goto(`${base}/pages/search/index?villageId=${villageA1}&townId=${townA}`);
    await waitForPage(page, '.search-input');
    // Taro's inline font-size snippet ran (allowed by its hash).
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.style.fontSize)).toMatch(/px$/);
    expect(violations).toEqual([]);
  });

  test('staff pages: log in, the month, the upload page', async () => {
    const base = world.server.baseUrl;
    await page.goto(`${base}/staff/login/index`);
    await waitForPage(page, '.login-submit');
    await current(page).locator('.form-field input').nth(0).fill('acct-a1');
    await current(page).locator('.form-field input').nth(1).fill(PASSWORD);
    await current(page).locator('.login-submit').click();
    await page.waitForURL(/\/staff\/months\//);
    await page.goto(`${base}/staff/months/index?villageId=${world.staff.villageA1}&month=2026-10`);
    await page.waitForLoadState('networkidle');
    await page.goto(`${base}/staff/upload/index?villageId=${world.staff.villageA1}&month=2026-11`);
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
  });
});
