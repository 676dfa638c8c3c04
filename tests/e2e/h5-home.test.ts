import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/http-client';
import { ROOT } from '../helpers/processes';
import { createTestEnv, type TestEnv } from '../helpers/test-env';

const WEB_DIR = path.join(ROOT, 'miniprogram', 'dist', 'h5');
const describeInBrowser = browserAvailable() ? describe : describe.skip;

/** The H5 build of the mini-program, served by the real server, in real Chromium. */
describeInBrowser('the H5 mini-program home page', () => {
  let env: TestEnv;
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    env = await createTestEnv('sqlite', { WEB_DIR });
    await env.container.services.demoSeed.seedIfEmpty();
    server = await startTestServer(env.container);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await env?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  });
  afterEach(async () => page.close());

  test('lists every town with its villages from the server', async () => {
    await page.goto(server.baseUrl + '/');
    await page.waitForSelector('.home-page .town-item');
    const text = await page.locator('.home-page').innerText();
    expect(text).toContain('一眼明');
    for (const name of ['新街镇', '张铺镇', '东岗村', '石门村', '李集村']) expect(text).toContain(name);
    expect(await page.locator('.town-item').count()).toBe(2);
  });

  test("the demo's published months are there for a newcomer: a month's total and receipts match the API, a receipt shows its redacted image", async () => {
    const towns = (await server.request('GET', '/api/towns')).body.towns;
    const village = towns[0].villages.find((v: { name: string }) => v.name === '新街村');
    const { months } = (await server.request('GET', `/api/villages/${village.id}`)).body;
    expect(months.length).toBeGreaterThanOrEqual(3);
    const month = (await server.request('GET', `/api/villages/${village.id}/months/${months[0].month}`)).body;

    await page.goto(server.baseUrl + '/');
    await page.waitForSelector('.taro_page_stationed .village-button');
    await page.locator(`.taro_page_stationed .village-button[data-village-id="${village.id}"]`).click();
    await page.waitForSelector('.taro_page_stationed .month-item');
    await page.locator('.taro_page_stationed .month-item').first().click();
    await page.waitForSelector('.taro_page_stationed .receipt-row');
    const shown = page.locator('.taro_page_stationed');
    expect(await shown.locator('.total-amount').innerText()).toBe(`${(month.totalFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`);
    const ids = await shown.locator('.receipt-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-voucher-id'))));
    expect(ids).toEqual(month.vouchers.map((v: { id: number }) => v.id));
    await page.screenshot({ path: 'test-output/screenshots/demo-month.png', fullPage: true });

    const receipt = month.vouchers.find((v: { status: string }) => v.status === 'valid');
    await shown.locator(`.receipt-row[data-voucher-id="${receipt.id}"]`).click();
    await page.waitForSelector('.taro_page_stationed .receipt-image-box img');
    const image = page.locator('.taro_page_stationed .receipt-image-box img').first();
    await page.waitForFunction((el) => (el as any).complete && (el as any).naturalWidth > 0, await image.elementHandle());
    expect(await image.evaluate((el) => (el as any).src)).toBe(server.baseUrl + receipt.imageUrl);
    await page.screenshot({ path: 'test-output/screenshots/demo-receipt.png', fullPage: true });
  });

  test('body text is large enough for elderly eyes (at least 18 px)', async () => {
    await page.goto(server.baseUrl + '/');
    await page.waitForSelector('.town-item');
    const size = await page.locator('.town-item').first().evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(18);
  });

  test('when the server fails, it says so in plain words and offers to try again', async () => {
    let fail = true;
    await page.route('**/api/towns', (route) => (fail ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
    await page.goto(server.baseUrl + '/');
    await page.getByText('网络不好，没有加载出来').waitFor();
    fail = false;
    await page.getByText('重试').click();
    await page.waitForSelector('.town-item');
  });
});
