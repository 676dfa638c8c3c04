import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { VoucherRecord } from '../../server/domain/voucher';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { IMG_ONERROR, SCRIPT_TAG } from '../helpers/hostile-corpus';
import { amendVoucher, publishMonth } from '../helpers/publish';
import { startStaffServer, type StaffServer } from '../helpers/review';
import { CURRENT, current, screenshot, waitForPage, WEB_DIR } from './villager-seed';

const describeInBrowser = browserAvailable() ? describe : describe.skip;

/** The markup the amendment puts in, and the reason it gives: both end up on the month page's notice. */
const AMENDED_PAYEE = `<svg onload="window.__pwned=1">${SCRIPT_TAG}`;
const AMENDMENT_REASON = `更正：${IMG_ONERROR}`;

/**
 * Markup typed into a receipt's payee and description (and into a correction) reaches
 * villagers' phones as the same characters, shown as text: in real Chromium, against the real
 * server and the built H5 app, nothing of it runs and no element of it appears in the page.
 */
describeInBrowser('hostile text in the villager pages of the H5 build', () => {
  let world: StaffServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let hostile: VoucherRecord;
  let amended: VoucherRecord;
  const month = '2026-08';

  beforeAll(async () => {
    world = await startStaffServer('sqlite', { WEB_DIR });
    [hostile, amended] = await publishMonth(world, world.staff.villageA1, month, [
      { amountFen: 6600, payee: IMG_ONERROR, description: SCRIPT_TAG, category: '办公用品' },
      { amountFen: 1200, payee: '东风文具店', description: '打印纸', category: '办公用品' },
    ]);
    await amendVoucher(world, amended, { fields: { payee: AMENDED_PAYEE } }, AMENDMENT_REASON);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    page = await context.newPage();
  });
  afterEach(async () => context.close());

  /** Nothing ran, and no element came out of the text in the page: no <img src=x>, no <svg onload>, no extra <script>. */
  async function expectNothingRan(): Promise<void> {
    expect(await page.evaluate(() => (globalThis as any).window.__pwned)).toBeUndefined();
    const planted = await page.evaluate((sel) => {
      const doc = (globalThis as any).document;
      return {
        images: doc.querySelectorAll(`${sel} img[src="x"], ${sel} img[onerror]`).length,
        svgs: doc.querySelectorAll(`${sel} svg[onload]`).length,
        scripts: Array.from(doc.querySelectorAll('script')).filter((s: any) => s.textContent.includes('__pwned')).length,
      };
    }, CURRENT);
    expect(planted).toEqual({ images: 0, svgs: 0, scripts: 0 });
  }

  test('the month page shows the payee, description, corrected payee and reason as literal text', async () => {
    await page.goto(`${world.server.baseUrl}/pages/month/index?villageId=${world.staff.villageA1}&month=${month}`);
    await waitForPage(page, '.receipt-row');
    const row = current(page).locator(`.receipt-row[data-voucher-id="${hostile.id}"]`);
    expect(await row.locator('.receipt-payee').innerText()).toBe(IMG_ONERROR);
    expect(await row.locator('.receipt-description').innerText()).toBe(SCRIPT_TAG);
    expect(await current(page).locator(`.receipt-row[data-voucher-id="${amended.id}"] .receipt-payee`).innerText()).toBe(AMENDED_PAYEE);
    const banner = await current(page).locator('.amend-banner').innerText();
    expect(banner).toContain(AMENDMENT_REASON);
    expect(banner).toContain(AMENDED_PAYEE);
    // The thumbnail's text alternative carries the payee as an attribute value, nothing more.
    expect(await row.locator('img').getAttribute('alt')).toContain(IMG_ONERROR);
    await screenshot(page, 'hostile-text-month');
    await expectNothingRan();
  });

  test('the receipt page shows them literally too, in its title, fields and the document title, and its check still passes', async () => {
    await page.goto(`${world.server.baseUrl}/pages/receipt/index?id=${hostile.id}&villageId=${hostile.villageId}&month=${month}`);
    await waitForPage(page, '.receipt-image img');
    const receipt = current(page);
    expect(await receipt.locator('.receipt-title').innerText()).toBe(IMG_ONERROR);
    const fields = await receipt.locator('.fields').innerText();
    expect(fields).toContain(IMG_ONERROR);
    expect(fields).toContain(SCRIPT_TAG);
    await page.waitForFunction((title) => (globalThis as any).document.title === title, IMG_ONERROR);
    // The phone re-hashes the manifest, markup and all, and finds it matches the chain.
    await receipt.locator('.chain-result.is-ok').waitFor();
    await screenshot(page, 'hostile-text-receipt');
    await expectNothingRan();
  });

  test('the app is served with a Content-Security-Policy: scripts from this origin and its own inline snippet only', async () => {
    const response = await page.goto(`${world.server.baseUrl}/pages/receipt/index?id=${hostile.id}&villageId=${hostile.villageId}&month=${month}`);
    const directives = new Map(response!.headers()['content-security-policy'].split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }));
    expect(directives.get('script-src')).toMatch(/^'self' 'sha256-[A-Za-z0-9+/]+=*'$/);
    expect(directives.get('object-src')).toBe("'none'");
    await waitForPage(page, '.receipt-image img');
    // Taro's inline font-size snippet is allowed by its hash and still runs.
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.style.fontSize)).toMatch(/px$/);
  });

  /**
   * Taro's H5 router writes a title given to Taro.setNavigationBarTitle with innerHTML; the app
   * sets its titles (payees, village names) as text instead (lib/page-title.h5.ts).
   */
  test('the navigation bar title shows the payee as text', async () => {
    await page.goto(`${world.server.baseUrl}/pages/receipt/index?id=${hostile.id}&villageId=${hostile.villageId}&month=${month}`);
    await waitForPage(page, '.receipt-image img');
    await page.waitForFunction((title) => (globalThis as any).document.title === title, IMG_ONERROR);
    const bar = await page.evaluate(() => {
      const title = (globalThis as any).document.querySelector('.taro-navigation-bar-title');
      return { text: title?.textContent, elements: title?.children.length };
    });
    expect(bar).toEqual({ text: IMG_ONERROR, elements: 0 });
  });

  test('searching for the markup finds the receipt and lists it as text', async () => {
    await page.goto(`${world.server.baseUrl}/pages/search/index?villageId=${world.staff.villageA1}&townId=${world.staff.townA}`);
    await waitForPage(page, '.search-input');
    await current(page).locator('.search-input input').fill('<script>');
    await current(page).locator('.search-button').click();
    await waitForPage(page, '.receipt-row');
    const rows = current(page).locator('.receipt-row');
    expect(await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-voucher-id'))))).toEqual([amended.id, hostile.id]);
    expect(await current(page).locator(`.receipt-row[data-voucher-id="${hostile.id}"] .receipt-description`).innerText()).toBe(SCRIPT_TAG);
    await expectNothingRan();
  });
});
