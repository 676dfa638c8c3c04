import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PublicVillage, PublishedMonth } from '../../shared/schemas/public';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { CURRENT, current, screenshot, startVillagerWorld, waitForPage, type VillagerWorld } from './villager-seed';

const describeInBrowser = browserAvailable() ? describe : describe.skip;

/** A villager in real Chromium, against the real server and the built H5 app: home → village → month → receipt. */
describeInBrowser('villager pages in the H5 build', () => {
  let world: VillagerWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let october: PublishedMonth;

  beforeAll(async () => {
    world = await startVillagerWorld();
    browser = await launchChromium();
    october = (await world.server.request('GET', `/api/villages/${world.staff.villageA1}/months/2026-10`)).body;
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

  test('home → town → village → month → receipt, each matching the API', async () => {
    const { villageA1, villageA2 } = world.staff;
    await page.goto(world.server.baseUrl + '/');
    await waitForPage(page, '.town-item');
    await screenshot(page, 'villager-home');
    // Choose the town, then the village.
    await current(page).locator('.town-chip', { hasText: '甲镇' }).click();
    await waitForPage(page, `.village-button[data-village-id="${villageA2}"]`);
    expect(await current(page).locator('.town-item').count()).toBe(1);
    await current(page).locator(`.village-button[data-village-id="${villageA1}"]`).click();

    // The village: published months newest first, each with count and total, and the chart.
    await waitForPage(page, '.month-item');
    expect(page.url()).toContain(`/pages/village/index?villageId=${villageA1}`);
    const village: PublicVillage = (await world.server.request('GET', `/api/villages/${villageA1}`)).body;
    const items = current(page).locator('.month-item');
    expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-month')))).toEqual(village.months.map((m) => m.month));
    expect(village.months.map((m) => m.month)).toEqual(['2026-10', '2026-09']);
    const first = await items.first().innerText();
    expect(first).toContain('2026年10月');
    expect(first).toContain(`${october.count} 张收据`);
    expect(first).toContain('12,715.60 元'); // 12345.60 + 350.00 + 20.00, the withdrawn 88.00 not counted
    expect(await current(page).locator('.bar-row').count()).toBe(12);
    const widths = await current(page).locator('.bar-fill').evaluateAll((els) => els.map((el) => (el as any).style.width));
    expect(widths[11]).toBe('100%');
    expect(widths[10]).not.toBe('0%'); // September
    expect(widths[9]).toBe('0%'); // August: not published
    await screenshot(page, 'villager-village');

    // The month.
    await items.first().click();
    await waitForPage(page, '.receipt-row');
    expect(page.url()).toContain(`/pages/month/index?villageId=${villageA1}&month=2026-10`);
    const body = current(page);
    expect(october.totalFen).toBe(1271560);
    expect(await body.locator('.total-amount').innerText()).toBe('12,715.60 元');
    expect(await body.locator('.total-capital').innerText()).toBe('大写：壹万贰仟柒佰壹拾伍元陆角');
    const rows = body.locator('.receipt-row');
    expect(await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-voucher-id'))))).toEqual(october.vouchers.map((v) => v.id));
    for (const v of october.vouchers) {
      const row = body.locator(`.receipt-row[data-voucher-id="${v.id}"]`);
      const text = await row.innerText();
      expect(text).toContain(v.payee!);
      expect(text).toContain('2026年10月5日');
      const img = row.locator('img');
      expect(await img.getAttribute('alt')).toContain(v.payee!);
      // Thumbnails load lazily, as they scroll into view.
      await row.scrollIntoViewIfNeeded();
      await page.waitForFunction((sel) => !!(globalThis as any).document.querySelector(sel)?.getAttribute('src'), `${CURRENT} .receipt-row[data-voucher-id="${v.id}"] img`);
      expect(await img.evaluate((el) => (el as any).src)).toBe(world.server.baseUrl + v.thumbUrl);
    }
    expect(await body.locator('.receipt-row[data-voucher-id]').first().innerText()).toContain('村道硬化用水泥');
    // Amendments and the withdrawn receipt are announced.
    const banner = await body.locator('.amend-banner').innerText();
    expect(banner).toContain('本月公开后有 2 处更正');
    expect(banner).toContain('重复报销，撤回');
    expect(banner).toContain('金额由 320.00 元 改为 350.00 元');
    expect(await body.locator('.receipt-row.is-withdrawn').innerText()).toContain('已撤回：重复报销，撤回');
    await screenshot(page, 'villager-month');

    // Filter by category.
    await body.locator('.category-chip', { hasText: '工程' }).click();
    await page.waitForFunction((sel) => (globalThis as any).document.querySelectorAll(sel).length === 1, `${CURRENT} .receipt-row`);
    expect(await body.locator('.receipt-row').innerText()).toContain('红星水泥厂');
    await body.locator('.category-chip', { hasText: '全部' }).click();
    await page.waitForFunction((sel) => (globalThis as any).document.querySelectorAll(sel).length === 4, `${CURRENT} .receipt-row`);

    // The receipt: image, amount, fields, history, 核验.
    const cement = october.vouchers[0];
    await body.locator(`.receipt-row[data-voucher-id="${cement.id}"]`).click();
    await waitForPage(page, '.receipt-image img');
    expect(page.url()).toContain(`/pages/receipt/index?id=${cement.id}`);
    const receipt = current(page);
    const image = receipt.locator('.receipt-image img');
    expect(await image.evaluate((el) => (el as any).src)).toBe(world.server.baseUrl + cement.imageUrl);
    expect(await image.getAttribute('alt')).toBe('收据图片：收款方 红星水泥厂，金额 12,345.60 元');
    await page.waitForFunction((sel) => {
      const img = (globalThis as any).document.querySelector(sel) as any;
      return img && img.complete && img.naturalWidth > 0;
    }, `${CURRENT} .receipt-image img`);
    expect(await receipt.locator('.receipt-big-amount').innerText()).toBe('12,345.60 元');
    expect(await receipt.locator('.fields').innerText()).toContain('村道硬化用水泥');
    await receipt.locator('.chain-result.is-ok').waitFor();
    const check = await receipt.locator('.chain-check').innerText();
    expect(check).toContain('已核验');
    expect(check).toContain(october.digest);
    expect(check).toContain(october.digest.slice(0, 4) + ' ' + october.digest.slice(4, 8));
    expect(check).toContain('图片文件在手机上重新计算 sha256，与记录一致');
    await screenshot(page, 'villager-receipt');
  });

  test('tapping the image opens a viewer that zooms', async () => {
    const v = october.vouchers[0];
    await page.goto(`${world.server.baseUrl}/pages/receipt/index?id=${v.id}&villageId=${v.villageId}&month=${v.month}`);
    await waitForPage(page, '.receipt-image img');
    await current(page).locator('.receipt-image').click();
    const viewer = page.locator('.zoom-viewer');
    await viewer.waitFor();
    expect(await viewer.getAttribute('aria-label')).toContain('红星水泥厂');
    const scale = () => page.locator('.zoom-image').evaluate((el) => new (globalThis as any).DOMMatrixReadOnly((globalThis as any).getComputedStyle(el).transform).a);
    expect(await scale()).toBe(1);
    await page.locator('.zoom-in').click();
    expect(await scale()).toBeCloseTo(1.5);
    // A double tap (two quick clicks) goes back to whole, another zooms in 2.5×.
    await page.locator('.zoom-stage').dblclick();
    expect(await scale()).toBe(1);
    await page.locator('.zoom-stage').dblclick();
    expect(await scale()).toBeCloseTo(2.5);
    // The mouse wheel zooms too.
    await page.locator('.zoom-stage').hover();
    await page.mouse.wheel(0, -100);
    await page.waitForFunction(() => new (globalThis as any).DOMMatrixReadOnly((globalThis as any).getComputedStyle((globalThis as any).document.querySelector('.zoom-image')!).transform).a > 2.9);
    await screenshot(page, 'villager-receipt-zoom', { wholePage: false });
    await page.locator('.zoom-close').click();
    await viewer.waitFor({ state: 'detached' });
  });

  test('on a touch screen, two fingers spreading apart zoom the picture in', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
    page = await context.newPage();
    const v = october.vouchers[0];
    await page.goto(`${world.server.baseUrl}/pages/receipt/index?id=${v.id}&villageId=${v.villageId}&month=${v.month}`);
    await waitForPage(page, '.receipt-image img');
    await current(page).locator('.receipt-image').tap();
    await page.locator('.zoom-stage').waitFor();
    const box = (await page.locator('.zoom-stage').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // Real touch input through Chromium's input pipeline: it becomes pointer events, as on a phone.
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', spread: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: cx - spread, y: cy, id: 1 }, { x: cx + spread, y: cy, id: 2 }],
      });
    await touch('touchStart', 40);
    for (const spread of [60, 80, 100, 120]) await touch('touchMove', spread);
    await touch('touchEnd', 0);
    const scale = await page.locator('.zoom-image').evaluate((el) => new (globalThis as any).DOMMatrixReadOnly((globalThis as any).getComputedStyle(el).transform).a);
    expect(scale).toBeCloseTo(3, 1);
  });

  test('share: the copyable link is the printed QR code\'s short link and opens this same month', async () => {
    const { villageA1 } = world.staff;
    await page.goto(`${world.server.baseUrl}/pages/month/index?villageId=${villageA1}&month=2026-10`);
    await waitForPage(page, '.share-button');
    await current(page).locator('.share-button').click();
    const link = await current(page).locator('.share-link').innerText();
    expect(link).toBe(`${world.server.baseUrl}/m/${villageA1}/2026-10`);
    await page.goto(link);
    await waitForPage(page, '.total-amount');
    expect(page.url()).toBe(`${world.server.baseUrl}/pages/month/index?villageId=${villageA1}&month=2026-10`);
    expect(await current(page).locator('.total-amount').innerText()).toBe('12,715.60 元');
  });

  test('a month not published says so', async () => {
    await page.goto(`${world.server.baseUrl}/pages/month/index?villageId=${world.staff.villageA1}&month=2026-11`);
    await waitForPage(page, '.empty-view');
    expect(await current(page).locator('.empty-view').innerText()).toContain('本月尚未公开');
    await screenshot(page, 'villager-month-not-published');
  });

  test('a village with nothing published explains it', async () => {
    await page.goto(`${world.server.baseUrl}/pages/village/index?villageId=${world.staff.villageB1}`);
    await waitForPage(page, '.empty-view');
    expect(await current(page).locator('.empty-view').innerText()).toContain('本村还没有公开的月份');
  });
});
