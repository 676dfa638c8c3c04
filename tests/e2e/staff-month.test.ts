import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PublishedMonth } from '../../shared/schemas/public';
import type { StaffVoucher } from '../../shared/schemas/vouchers';
import type { JobRunner } from '../../server/jobs/job-runner';
import { browserAvailable, launchChromium } from '../helpers/browser';
import { VOUCHERS_DIR } from '../helpers/fixtures';
import { seedReadyVoucher, startStaffServer, type StaffServer } from '../helpers/review';
import { PASSWORD } from '../helpers/staff-fixture';
import { CURRENT, current, screenshot, waitForPage, WEB_DIR } from './villager-seed';

const describeInBrowser = browserAvailable() ? describe : describe.skip;
const MONTH = '2026-10';
const PHOTOS = ['v001.jpg', 'v002.jpg', 'v003.jpg'];
const REJECTION = '第 2 张的金额和发票对不上，请核对';

/**
 * The whole month in real Chromium, through the built H5 app and the real server with real OCR:
 * the accountant uploads, corrects and redraws, submits; the official rejects; the accountant
 * fixes and resubmits; the official approves; a villager sees the redacted receipts.
 */
describeInBrowser('a month from upload to publication in the staff pages', () => {
  let world: StaffServer;
  let runner: JobRunner;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    world = await startStaffServer('sqlite', { WEB_DIR });
    runner = world.env.container.createJobRunner();
    runner.start();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await runner?.stop();
    await world?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 430, height: 900 }, deviceScaleFactor: 1 });
    contexts.push(context);
    return context.newPage();
  }
  const staffList = async (): Promise<StaffVoucher[]> =>
    (await world.server.request('GET', `/api/villages/${world.staff.villageA1}/months/${MONTH}/vouchers`, { token: world.tokens.accountantA1 })).body.vouchers;
  const monthUrl = () => `${world.server.baseUrl}/staff/months/index?villageId=${world.staff.villageA1}&month=${MONTH}`;

  async function logIn(page: Page, username: string): Promise<void> {
    await waitForPage(page, '.login-submit');
    await current(page).locator('.form-field input').nth(0).fill(username);
    await current(page).locator('.form-field input').nth(1).fill(PASSWORD);
    await current(page).locator('.login-submit').click();
  }

  /** Opens the voucher at `position` (1-based) from the month list and waits for its editor. */
  async function openVoucher(page: Page, position: number): Promise<void> {
    await current(page).locator('.staff-voucher').nth(position - 1).click();
    await waitForPage(page, '.save-voucher');
    await page.waitForFunction((sel) => Boolean((globalThis as any).document.querySelector(`${sel} .redaction-image img[src^="blob:"]`)), CURRENT, { timeout: 20_000 });
  }
  async function saveAndReturn(page: Page): Promise<void> {
    await current(page).locator('.save-voucher').click();
    await waitForPage(page, '.saved-note');
    await current(page).locator('.back-link').click();
    await waitForPage(page, '.staff-voucher');
  }

  /** The darkest-pixel share inside `box` of an image: a redaction paints it black. */
  async function darkShare(image: Buffer, natural: { width: number; height: number }, box: number[]): Promise<number> {
    const meta = await sharp(image).metadata();
    const k = meta.width! / natural.width;
    const region = {
      left: Math.floor(box[0] * k) + 2,
      top: Math.floor(box[1] * k) + 2,
      width: Math.max(1, Math.floor(box[2] * k) - 4),
      height: Math.max(1, Math.floor(box[3] * k) - 4),
    };
    const { data, info } = await sharp(image).extract(region).greyscale().raw().toBuffer({ resolveWithObject: true });
    let dark = 0;
    for (const v of data) if (v < 40) dark++;
    return dark / (info.width * info.height);
  }

  test('accountant uploads three photos, corrects, redraws a box and submits; official rejects; fixed and resubmitted; approved; villagers see it', async () => {
    const accountant = await newPage();
    const { villageA1 } = world.staff;

    // No session yet: the month page sends the accountant to log in, then back to it.
    await accountant.goto(monthUrl());
    await logIn(accountant, world.staff.users.accountantA1.username);
    await waitForPage(accountant, '.staff-status');
    const landed = new URL(accountant.url());
    expect([landed.pathname, landed.searchParams.get('villageId'), landed.searchParams.get('month')]).toEqual(['/staff/months/index', String(villageA1), MONTH]);
    const bar = await current(accountant).locator('.staff-bar').innerText();
    expect(bar).toContain('本村账目');
    expect(bar).toContain('上传凭证');
    expect(bar).not.toContain('待审核');
    expect(await current(accountant).locator('.staff-status-text').innerText()).toContain('还没提交');
    await screenshot(accountant, 'staff-1-empty-month');

    // Upload three photos through the page's file picker; each shows its progress, then reading.
    await current(accountant).locator('.staff-upload-button').click();
    await waitForPage(accountant, '.drop-zone');
    await current(accountant).locator('input[type=file]').setInputFiles(PHOTOS.map((f) => path.join(VOUCHERS_DIR, f)));
    await accountant.waitForFunction(
      (sel) => (globalThis as any).document.querySelectorAll(`${sel} .upload-state.is-ready`).length === 3,
      CURRENT,
      { timeout: 180_000, polling: 500 },
    );
    expect(await current(accountant).locator('.upload-name').allInnerTexts()).toEqual(PHOTOS.map((f) => expect.stringContaining(f)));
    expect(await current(accountant).locator('.upload-summary').innerText()).toContain('已上传 3 张，识别完成 3 张');
    await screenshot(accountant, 'staff-2-uploaded');

    await current(accountant).locator('.back-to-month').click();
    await waitForPage(accountant, '.staff-voucher');
    let vouchers = await staffList();
    // Two go up at once, so the order of arrival may differ from the order picked.
    expect(vouchers.map((v) => v.originalName).sort()).toEqual(PHOTOS);
    const positionOf = (name: string) => vouchers.findIndex((v) => v.originalName === name) + 1;
    const byName = async (name: string) => (await staffList()).find((v) => v.originalName === name)!;
    expect(vouchers.every((v) => v.status === 'ready')).toBe(true);
    expect(await current(accountant).locator('.staff-voucher').count()).toBe(3);
    await screenshot(accountant, 'staff-3-month-list');

    // The first photo carries an ID card and a phone number: OCR boxed them. Remove the first box and draw it again by hand.
    const first = await byName('v001.jpg');
    expect(first.redactions.length).toBeGreaterThan(0);
    const removed = first.redactions[0].box;
    await openVoucher(accountant, positionOf('v001.jpg'));
    await current(accountant).locator('.remove-box').first().click();
    expect(await current(accountant).locator('.redaction-box').count()).toBe(first.redactions.length - 1);
    await current(accountant).locator('.draw-box').click();
    const stage = await current(accountant).locator('.redaction-stage').boundingBox();
    const toScreen = (x: number, y: number) => ({ x: stage!.x + (x / first.width!) * stage!.width, y: stage!.y + (y / first.height!) * stage!.height });
    const from = toScreen(removed[0] - 4, removed[1] - 4);
    const to = toScreen(removed[0] + removed[2] + 4, removed[1] + removed[3] + 4);
    await accountant.mouse.move(from.x, from.y);
    await accountant.mouse.down();
    await accountant.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await accountant.mouse.move(to.x, to.y, { steps: 4 });
    await accountant.mouse.up();
    expect(await current(accountant).locator('.redaction-box').count()).toBe(first.redactions.length);
    await screenshot(accountant, 'staff-4-redrawn-box', { wholePage: false });
    await saveAndReturn(accountant);
    const redrawn = await byName('v001.jpg');
    const manual = redrawn.redactions.find((r) => r.source === 'manual')!;
    expect(manual).toBeDefined();
    // The drawn box covers the removed one (screen → image rounding stays within a few pixels).
    expect(manual.box[0]).toBeLessThanOrEqual(removed[0]);
    expect(manual.box[1]).toBeLessThanOrEqual(removed[1]);
    expect(manual.box[0] + manual.box[2]).toBeGreaterThanOrEqual(removed[0] + removed[2]);
    expect(manual.box[1] + manual.box[3]).toBeGreaterThanOrEqual(removed[1] + removed[3]);
    expect(manual.box[2]).toBeLessThan(removed[2] + 40);

    // Correct the second voucher's amount (and look over the third), which also confirms their flags.
    await openVoucher(accountant, positionOf('v002.jpg'));
    await current(accountant).locator('.form-field input').first().fill('205.50');
    await saveAndReturn(accountant);
    await openVoucher(accountant, positionOf('v003.jpg'));
    await saveAndReturn(accountant);
    vouchers = await staffList();
    expect((await byName('v002.jpg')).amountFen).toBe(20550);

    // Submit, after the summary.
    await current(accountant).locator('.staff-submit').click();
    await waitForPage(accountant, '.staff-confirm');
    const expectedTotal = vouchers.reduce((sum, v) => sum + (v.amountFen ?? 0), 0);
    const confirm = await current(accountant).locator('.staff-confirm').innerText();
    expect(confirm).toContain('凭证 3 张');
    expect(confirm).toContain(`合计 ${(expectedTotal / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`);
    await screenshot(accountant, 'staff-5-submit-summary');
    await current(accountant).locator('.confirm-submit').click();
    await accountant.waitForFunction((sel) => (globalThis as any).document.querySelector(`${sel} .staff-status-text`)?.textContent.includes('已提交'), CURRENT);
    expect(await current(accountant).locator('.staff-upload-button').count()).toBe(0);

    // The official: queue → the month → reject with a reason.
    const official = await newPage();
    await official.goto(`${world.server.baseUrl}/staff/login/index`);
    await logIn(official, world.staff.users.officialA.username);
    await waitForPage(official, '.queue-item');
    const officialBar = await current(official).locator('.staff-bar').innerText();
    expect(officialBar).toContain('待审核');
    expect(officialBar).not.toContain('上传凭证');
    expect(await current(official).locator('.queue-item').innerText()).toContain('3 张');
    await screenshot(official, 'staff-6-review-queue');
    await current(official).locator('.queue-item').first().click();
    await waitForPage(official, '.approve-month');
    expect(await current(official).locator('.review-voucher').count()).toBe(3);
    await current(official).locator('.reject-reason textarea').fill(REJECTION);
    await screenshot(official, 'staff-7-review-month');
    await current(official).locator('.reject-month').click();
    await official.waitForFunction((sel) => (globalThis as any).document.querySelector(`${sel} .staff-status-text`)?.textContent.includes('被退回'), CURRENT);

    // The accountant sees the reason, fixes the amount and sends the month again.
    await accountant.reload();
    await waitForPage(accountant, '.staff-rejection');
    expect(await current(accountant).locator('.staff-rejection').innerText()).toContain(REJECTION);
    await screenshot(accountant, 'staff-8-rejected');
    await openVoucher(accountant, positionOf('v002.jpg'));
    await current(accountant).locator('.form-field input').first().fill('200.00');
    await saveAndReturn(accountant);
    await current(accountant).locator('.staff-submit').click();
    await current(accountant).locator('.confirm-submit').click();
    await accountant.waitForFunction((sel) => (globalThis as any).document.querySelector(`${sel} .staff-status-text`)?.textContent.includes('已提交'), CURRENT);

    // The official approves; the page then links to the public month and the board sheet.
    await current(official).locator('.back-link').click();
    await waitForPage(official, '.queue-item');
    await current(official).locator('.queue-item').first().click();
    await waitForPage(official, '.approve-month');
    await current(official).locator('.approve-month').click();
    await waitForPage(official, '.published-links');
    expect(await current(official).locator('.staff-status-text').innerText()).toContain('已经公开');
    await screenshot(official, 'staff-9-approved');

    // A villager (no login, no staff entries) sees the three receipts, redacted, and the right total.
    vouchers = await staffList();
    expect((await byName('v002.jpg')).amountFen).toBe(20000);
    const total = vouchers.reduce((sum, v) => sum + (v.amountFen ?? 0), 0);
    const published: PublishedMonth = (await world.server.request('GET', `/api/villages/${villageA1}/months/${MONTH}`)).body;
    expect(published.totalFen).toBe(total);
    expect(published.vouchers.map((v) => v.id).sort()).toEqual(vouchers.map((v) => v.id).sort());

    const villager = await newPage();
    await villager.goto(`${world.server.baseUrl}/pages/month/index?villageId=${villageA1}&month=${MONTH}`);
    await waitForPage(villager, '.receipt-row');
    expect(await current(villager).locator('.staff-bar').count()).toBe(0);
    expect(await current(villager).locator('.receipt-row').count()).toBe(3);
    expect(await current(villager).locator('.total-amount').innerText()).toContain((total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    await screenshot(villager, 'staff-10-villager-month');

    // What the public gets is the redacted copy: black where the redrawn box is.
    const publicFirst = published.vouchers.find((v) => v.id === first.id)!;
    const image = await fetch(world.server.baseUrl + publicFirst.imageUrl);
    expect(image.status).toBe(200);
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(await darkShare(bytes, { width: first.width!, height: first.height! }, removed)).toBeGreaterThan(0.95);
    const original = Buffer.from(
      await (await fetch(`${world.server.baseUrl}/api/vouchers/${first.id}/image?variant=display&redacted=0`, { headers: { Authorization: `Bearer ${world.tokens.accountantA1}` } })).arrayBuffer(),
    );
    expect(await darkShare(original, { width: first.width!, height: first.height! }, removed)).toBeLessThan(0.5);
  }, 420_000);

  test('a save over someone else\'s newer change is refused with the server\'s words and 重新加载 shows theirs; a voucher can be deleted', async () => {
    const { villageA1 } = world.staff;
    const [kept, doomed] = [await seedReadyVoucher(world.env, villageA1, '2026-09', { payee: '原来的收款方' }), await seedReadyVoucher(world.env, villageA1, '2026-09')];
    const first = await newPage();
    await first.goto(`${world.server.baseUrl}/staff/voucher/index?id=${kept.id}`);
    await logIn(first, world.staff.users.accountantA1.username);
    await waitForPage(first, '.save-voucher');

    // Meanwhile someone else saves a change from another phone.
    const other = await world.server.request('POST', `/api/vouchers/${kept.id}`, { json: { version: kept.version, fields: { payee: '别人改的收款方' } }, token: world.tokens.accountantA1 });
    expect(other.status).toBe(200);

    await current(first).locator('.form-field input').nth(2).fill('我改的收款方');
    await current(first).locator('.save-voucher').click();
    await waitForPage(first, '.staff-reload');
    expect(await current(first).locator('.staff-error-text').innerText()).toMatch(/刚被别人改过/);
    await screenshot(first, 'staff-11-conflict');
    await current(first).locator('.staff-reload').click();
    await first.waitForFunction((sel) => (globalThis as any).document.querySelectorAll(`${sel} .form-field input`)[2]?.value === '别人改的收款方', CURRENT);
    expect((await world.server.request('GET', `/api/vouchers/${kept.id}`, { token: world.tokens.accountantA1 })).body.voucher.payee).toBe('别人改的收款方');

    // Deleting asks first, then the voucher is gone from the month.
    await first.goto(`${world.server.baseUrl}/staff/voucher/index?id=${doomed.id}`);
    await waitForPage(first, '.delete-voucher');
    await current(first).locator('.delete-voucher').click();
    await current(first).locator('.confirm-delete').click();
    await waitForPage(first, '.staff-status');
    expect((await world.server.request('GET', `/api/vouchers/${doomed.id}`, { token: world.tokens.accountantA1 })).status).toBe(404);
    expect(await current(first).locator('.staff-voucher').count()).toBe(1);
  }, 120_000);

  test('in a browser, photos dropped on the upload box go up like picked ones', async () => {
    const page = await newPage();
    await page.goto(`${world.server.baseUrl}/staff/upload/index?villageId=${world.staff.villageA1}&month=2026-08`);
    await logIn(page, world.staff.users.accountantA1.username);
    await waitForPage(page, '.drop-zone');
    const photo = fs.readFileSync(path.join(VOUCHERS_DIR, 'v004.jpg')).toString('base64');
    const dropped = await page.evaluateHandle((b64) => {
      const g = globalThis as any;
      const bytes = Uint8Array.from(g.atob(b64), (c: string) => c.charCodeAt(0));
      const transfer = new g.DataTransfer();
      transfer.items.add(new g.File([bytes], '拖进来的发票.jpg', { type: 'image/jpeg' }));
      return transfer;
    }, photo);
    await current(page).locator('.drop-zone').dispatchEvent('dragover', { dataTransfer: dropped });
    await current(page).locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
    await page.waitForFunction((sel) => (globalThis as any).document.querySelector(`${sel} .upload-state.is-processing, ${sel} .upload-state.is-ready`), CURRENT, { timeout: 60_000 });
    expect(await current(page).locator('.upload-name').innerText()).toContain('拖进来的发票.jpg');
    const listed = (await world.server.request('GET', `/api/villages/${world.staff.villageA1}/months/2026-08/vouchers`, { token: world.tokens.accountantA1 })).body.vouchers;
    expect(listed.map((v: StaffVoucher) => v.originalName)).toEqual(['拖进来的发票.jpg']);
  }, 120_000);
});
