/**
 * The villager e2e tests' world: the real server serving the built H5 app, the staff fixture,
 * and months published through the real submit/approve/amend calls.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { VoucherRecord } from '../../server/domain/voucher';
import { ROOT } from '../helpers/processes';
import { amendVoucher, publishMonth } from '../helpers/publish';
import { startStaffServer, type StaffServer } from '../helpers/review';

export const WEB_DIR = path.join(ROOT, 'miniprogram', 'dist', 'h5');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export interface VillagerWorld extends StaffServer {
  september: VoucherRecord[];
  october: VoucherRecord[];
}

/** Seeded facts; `description` is set the same way as the others. */
const facts = (amountFen: number, payee: string, category: string, description?: string) =>
  ({ amountFen, payee, category, description: description ?? null }) as Parameters<typeof publishMonth>[3][number];

export async function startVillagerWorld(): Promise<VillagerWorld> {
  const world = (await startStaffServer('sqlite', { WEB_DIR })) as VillagerWorld;
  const { staff } = world;
  world.september = await publishMonth(world, staff.villageA1, '2026-09', [facts(4500, '东风文具店', '办公用品', '打印纸两箱'), facts(120000, '李四', '劳务费', '清理水渠')]);
  world.october = await publishMonth(world, staff.villageA1, '2026-10', [
    facts(1234560, '红星水泥厂', '工程', '村道硬化用水泥'),
    facts(8800, '张记餐馆', '餐饮'),
    facts(32000, '王五', '劳务费', '修补路面'),
    facts(2000, '东风文具店', '办公用品'),
  ]);
  await amendVoucher(world, world.october[1], { withdraw: true }, '重复报销，撤回');
  await amendVoucher(world, world.october[2], { fields: { amountFen: 35000 } }, '金额抄错了');
  // The same payee in the other village of the town, for searching the whole town.
  await publishMonth(world, staff.villageA2, '2026-10', [facts(56000, '红星水泥厂', '工程')]);
  return world;
}

/** The page in front: Taro H5 slides pages in and keeps the ones below, hidden, as `.taro_page_shade`. */
export const CURRENT = '.taro_page_stationed:not(.taro_page_shade)';

export function current(page: Page): Locator {
  return page.locator(CURRENT);
}

/** Waits until the page in front has stationed and `selector` shows in it. */
export async function waitForPage(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${CURRENT} ${selector}`, { state: 'visible' });
}

/** A screenshot of the whole page in front: Taro pages scroll inside themselves, so the window is made as tall as the page. */
export async function screenshot(page: Page, name: string, options: { wholePage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  if (options.wholePage === false) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    return;
  }
  const viewport = page.viewportSize()!;
  const height = await page.locator(CURRENT).evaluate((el) => el.scrollHeight).catch(() => viewport.height);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(viewport.height, height), 6000) });
  // Thumbnails load lazily as they come into view: give them a moment (offline they fail, which also completes).
  await page
    .waitForFunction((sel) => Array.from((globalThis as any).document.querySelectorAll(`${sel} img`)).every((img: any) => img.getAttribute('src') && img.complete), CURRENT, { timeout: 3000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** The computed font size (CSS px) of the first element matching `selector` on the current page. */
export async function fontSizeOf(page: Page, selector: string): Promise<number> {
  return page.locator(`${CURRENT} ${selector}`).first().evaluate((el) => parseFloat((globalThis as any).getComputedStyle(el).fontSize));
}
