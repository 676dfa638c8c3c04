import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SearchResult } from '../../shared/schemas/public';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { CURRENT, current, fontSizeOf, screenshot, startVillagerWorld, waitForPage, type VillagerWorld } from './villager-seed';

const describeInBrowser = browserAvailable() ? describe : describe.skip;

/** Search, the remembered village, 大字, offline reading and failures, in real Chromium against the real server. */
describeInBrowser('villager comforts in the H5 build', () => {
  let world: VillagerWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let monthUrl: string;

  beforeAll(async () => {
    world = await startVillagerWorld();
    browser = await launchChromium();
    monthUrl = `${world.server.baseUrl}/pages/month/index?villageId=${world.staff.villageA1}&month=2026-10`;
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

  test('search finds a payee in the village, then across the town, and opens the receipt', async () => {
    const { villageA1, townA } = world.staff;
    await page.goto(`${world.server.baseUrl}/pages/village/index?villageId=${villageA1}`);
    await waitForPage(page, '.search-entry');
    await current(page).locator('.search-entry').click();
    await waitForPage(page, '.search-input');
    expect(page.url()).toContain(`/pages/search/index?villageId=${villageA1}&townId=${townA}`);
    await current(page).locator('.search-input input').fill('红星');
    await current(page).locator('.search-button').click();
    await waitForPage(page, '.search-count');

    const inVillage: SearchResult = (await world.server.request('GET', `/api/search?q=${encodeURIComponent('红星')}&villageId=${villageA1}`)).body;
    expect(inVillage.total).toBe(1);
    expect(await current(page).locator('.search-count').innerText()).toBe('找到 1 张收据');
    const hit = current(page).locator('.receipt-row');
    expect(await hit.count()).toBe(1);
    expect(await hit.innerText()).toContain('红星水泥厂');
    expect(await hit.innerText()).toContain('甲一村 · 2026年10月');

    await current(page).locator('.scope-chip', { hasText: '全镇各村' }).click();
    await page.waitForFunction((sel) => (globalThis as any).document.querySelector(sel)?.textContent === '找到 2 张收据', `${CURRENT} .search-count`);
    const inTown: SearchResult = (await world.server.request('GET', `/api/search?q=${encodeURIComponent('红星')}&townId=${townA}`)).body;
    const ids = await current(page).locator('.receipt-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-voucher-id'))));
    expect(ids).toEqual(inTown.hits.map((h) => h.id));
    expect(await current(page).locator('.search-results').innerText()).toContain('甲二村');
    await screenshot(page, 'villager-search');

    await current(page).locator('.search-input input').fill('没有这个收款方');
    await current(page).locator('.search-button').click();
    await waitForPage(page, '.empty-view');
    expect(await current(page).locator('.empty-view').innerText()).toContain('没有找到含“没有这个收款方”的收据');

    await current(page).locator('.search-input input').fill('红星');
    await current(page).locator('.search-button').click();
    await waitForPage(page, `.receipt-row[data-voucher-id="${inVillage.hits[0].id}"]`);
    await current(page).locator(`.receipt-row[data-voucher-id="${inVillage.hits[0].id}"]`).click();
    await waitForPage(page, '.receipt-big-amount');
    expect(await current(page).locator('.receipt-big-amount').innerText()).toBe('12,345.60 元');
  });

  test('the last village opens directly next time, with a way back to choose another', async () => {
    const { villageA1 } = world.staff;
    await page.goto(world.server.baseUrl + '/');
    await waitForPage(page, '.village-search');
    // Choose by typing part of the name.
    await current(page).locator('.village-search input').fill('一');
    await page.waitForFunction((sel) => (globalThis as any).document.querySelectorAll(sel).length === 2, `${CURRENT} .village-button`);
    expect(await current(page).locator('.town-list').innerText()).not.toContain('甲二村');
    await current(page).locator(`.village-button[data-village-id="${villageA1}"]`).click();
    await waitForPage(page, '.month-item');

    await page.goto(world.server.baseUrl + '/');
    await waitForPage(page, '.month-item');
    expect(page.url()).toContain(`/pages/village/index?villageId=${villageA1}`);
    expect(await current(page).locator('.village-name').innerText()).toBe('甲一村');

    await current(page).locator('.back-link').click();
    await waitForPage(page, '.town-item');
    expect(page.url()).toContain('/pages/index/index?choose=1');
    expect(await current(page).locator('.remembered-button').innerText()).toBe('甲镇 甲一村');
  });

  test('the 大字 switch enlarges the text, and is remembered', async () => {
    await page.goto(monthUrl);
    await waitForPage(page, '.receipt-row');
    const before = { body: await fontSizeOf(page, '.receipt-description'), payee: await fontSizeOf(page, '.receipt-payee'), total: await fontSizeOf(page, '.total-amount') };
    expect(before.body).toBeGreaterThanOrEqual(18);
    await current(page).locator('.large-type-switch').click();
    await waitForPage(page, '.big-type .receipt-row');
    expect(await current(page).locator('.large-type-switch').innerText()).toBe('大字：开');
    expect(await fontSizeOf(page, '.receipt-description')).toBeGreaterThanOrEqual(before.body * 1.2);
    expect(await fontSizeOf(page, '.receipt-payee')).toBeGreaterThanOrEqual(before.payee * 1.2);
    expect(await fontSizeOf(page, '.total-amount')).toBeGreaterThan(before.total);
    await screenshot(page, 'villager-month-large-type');

    // Remembered: another page, and after a reload.
    await current(page).locator('.receipt-row').first().click();
    await waitForPage(page, '.big-type .receipt-big-amount');
    await page.reload();
    await waitForPage(page, '.big-type .field-value');
    expect(await fontSizeOf(page, '.field-value')).toBeGreaterThanOrEqual(before.body * 1.2);
    await current(page).locator('.large-type-switch').click();
    await page.waitForFunction((sel) => (globalThis as any).document.querySelector(sel) === null, `${CURRENT}.big-type`);
  });

  test('tap targets are at least 44 px tall', async () => {
    await page.goto(monthUrl);
    await waitForPage(page, '.receipt-row');
    for (const selector of ['.large-type-switch', '.back-link', '.category-chip', '.share-button', '.receipt-row']) {
      const box = await current(page).locator(selector).first().boundingBox();
      expect({ selector, height: box!.height >= 44 }).toEqual({ selector, height: true });
    }
  });

  test('offline, the months viewed before stay readable with a 离线 notice', async () => {
    const { villageA1 } = world.staff;
    const cement = world.october[0];
    await page.goto(`${world.server.baseUrl}/pages/village/index?villageId=${villageA1}`);
    await waitForPage(page, '.month-item');
    await page.goto(monthUrl);
    await waitForPage(page, '.receipt-row');

    await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
    await page.reload();
    await waitForPage(page, '.offline-notice');
    expect(await current(page).locator('.offline-notice').innerText()).toContain('离线');
    expect(await current(page).locator('.total-amount').innerText()).toBe('12,715.60 元');
    expect(await current(page).locator('.receipt-row').count()).toBe(4);
    await screenshot(page, 'villager-month-offline');

    // A receipt of that month, from the saved month; the 核验 waits for the network.
    await current(page).locator(`.receipt-row[data-voucher-id="${cement.id}"]`).click();
    await waitForPage(page, '.receipt-big-amount');
    expect(await current(page).locator('.offline-notice').innerText()).toContain('离线');
    expect(await current(page).locator('.receipt-big-amount').innerText()).toBe('12,345.60 元');
    expect(await current(page).locator('.chain-check').innerText()).toContain('暂时无法核验');

    // The village page too.
    await page.goto(`${world.server.baseUrl}/pages/village/index?villageId=${villageA1}`);
    await waitForPage(page, '.offline-notice');
    expect(await current(page).locator('.month-item').count()).toBe(2);

    // A month never opened: a friendly failure, and retry works once the network is back.
    await page.goto(`${world.server.baseUrl}/pages/month/index?villageId=${villageA1}&month=2026-09`);
    await waitForPage(page, '.error-view');
    expect(await current(page).locator('.error-view').innerText()).toContain('网络不好，没有加载出来');
    await screenshot(page, 'villager-month-network-error');
    await context.unroute('**/api/**');
    await current(page).locator('.retry-button').click();
    await waitForPage(page, '.total-amount');
    expect(await current(page).locator('.total-amount').innerText()).toBe('1,245.00 元');
    expect(await current(page).locator('.offline-notice').count()).toBe(0);
  });

  test('pages show a loading state while the server is slow', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await context.route('**/api/villages/*/months/*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(monthUrl);
    await waitForPage(page, '.loading-view');
    expect(await current(page).locator('.loading-view').innerText()).toContain('正在加载');
    release();
    await waitForPage(page, '.total-amount');
  });
});
