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
  });
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
