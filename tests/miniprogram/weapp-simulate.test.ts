/**
 * The villager pages of the WeChat build render in WeChat's component system (miniprogram-simulate:
 * exparser + j-component on jsdom, templates compiled by WeChat's wcc), fed by a fake public API.
 *
 * Runs in the repo's node environment: jest-environment-jsdom is not installed, so the harness makes its own
 * jsdom window (tests/helpers/weapp-simulate.ts). It uses a DOM that is already there, so a
 * `@jest-environment jsdom` docblock should need no other change once that package is added (not tried).
 */
import { townListSchema } from '../../shared/schemas/directory';
import { publicVillageSchema, publicVoucherDetailSchema, publishedMonthSchema, searchResultSchema } from '../../shared/schemas/public';
import { appPages, buildWeapp, BUILD_HOOK_TIMEOUT_MS, readAppJson } from '../helpers/weapp-build';
import { MONTH, RECEIPT, SEARCH, TOWNS, VILLAGE, unavailable } from '../helpers/weapp-fixtures';
import { closeSimulator, renderPage, type FakeApi, type RenderedPage } from '../helpers/weapp-simulate';

interface PageRow {
  name: string;
  /** Route as in app.json. */
  page: string;
  query?: Record<string, string>;
  /** wx storage before the page loads. */
  storage?: Record<string, unknown>;
  /** Every call the page makes must be answered here, and every answer used. */
  api: FakeApi;
  texts: string[];
  absent?: string[];
  /** Then do this (tap, type) and expect more. */
  then?: {
    act: (page: RenderedPage) => Promise<void>;
    api?: FakeApi;
    texts?: string[];
    navigations?: { api: string; url?: string }[];
  };
  /** wx storage afterwards must contain these. */
  stored?: Record<string, unknown>;
}

/** Never shown on a finished page: a loader left behind, or a value rendered raw. */
const ALWAYS_ABSENT = ['正在加载…', 'undefined', 'NaN', '[object Object]', 'null'];

const ROWS: PageRow[] = [
  {
    name: 'home lists towns and their villages; a village opens its page',
    page: 'pages/index/index',
    api: { 'GET /api/towns': TOWNS },
    texts: ['一眼明', '找到您的村', '全部镇', '青山镇', '河口村', '石桥村', '白水镇', '这个镇还没有村', '再选村（共 2 个）'],
    then: {
      act: (page) => page.tap('河口村'),
      navigations: [{ api: 'navigateTo', url: '/pages/village/index?villageId=2' }],
    },
  },
  {
    name: "home says plainly when the server can't answer, with the server's reason",
    page: 'pages/index/index',
    api: { 'GET /api/towns': unavailable('服务暂时不可用') },
    texts: ['网络不好，没有加载出来', '服务暂时不可用', '重试'],
    absent: ['找到您的村'],
  },
  {
    name: 'home opens the remembered village straight away',
    page: 'pages/index/index',
    storage: { 'yym:lastVillage': { id: 2, name: '河口村', townId: 1, townName: '青山镇' } },
    api: {},
    texts: ['正在打开河口村…'],
    then: { act: async () => undefined, navigations: [{ api: 'redirectTo', url: '/pages/village/index?villageId=2' }] },
  },
  {
    name: 'village lists its published months, newest first, and remembers the village',
    page: 'pages/village/index',
    query: { villageId: '2' },
    api: { 'GET /api/villages/2': VILLAGE },
    texts: ['河口村', '青山镇', '每月公开的收据', '2026年10月', '2 张收据 · 公开后更正 2 次', '1,234.56 元', '2026年9月', '1 张收据', '80.00 元', '近 12 个月支出', '未公开'],
    stored: { 'yym:lastVillage': { id: 2, name: '河口村', townId: 1, townName: '青山镇' } },
    then: {
      act: (page) => page.tap('.month-item'),
      navigations: [{ api: 'navigateTo', url: '/pages/month/index?villageId=2&month=2026-10' }],
    },
  },
  {
    name: 'month shows its receipts, the total in figures and 大写, and the corrections',
    page: 'pages/month/index',
    query: { villageId: '2', month: '2026-10' },
    api: { 'GET /api/villages/2/months/2026-10': MONTH },
    texts: [
      '河口村 2026年10月',
      '本月合计',
      '1,234.56 元',
      '大写：壹仟贰佰叁拾肆元伍角陆分',
      '共 2 张收据，另有 1 张已撤回（不计入合计）',
      '注意：本月公开后有 2 处更正',
      '金额由 900.00 元 改为 1,000.00 元',
      '张三五金店',
      '水泥 50 袋（修村道）',
      '1,000.00 元',
      '李四运输队',
      '234.56 元',
      '王五饭店',
      '已撤回：重复报销',
      '本月核对码：9c1e 5a7b 3d2f 4e6a',
    ],
    then: {
      act: (page) => page.tap('.receipt-row'),
      navigations: [{ api: 'navigateTo', url: '/pages/receipt/index?id=11&villageId=2&month=2026-10' }],
    },
  },
  {
    name: 'receipt shows its facts and corrections; no chain means no 核验 yet, said plainly',
    page: 'pages/receipt/index',
    query: { id: '11', villageId: '2', month: '2026-10' },
    api: { 'GET /api/vouchers/11/public': RECEIPT, 'GET /api/villages/2/chain': unavailable() },
    texts: [
      '张三五金店',
      '青山镇 河口村 · 2026年10月',
      '这张收据公开后更正过 1 次',
      '1,000.00 元',
      '大写：壹仟元整',
      '水泥 50 袋（修村道）',
      '2026年10月5日',
      '工程',
      '12345678',
      '金额由 900.00 元 改为 1,000.00 元',
      '原因：录入时少写了一百元',
      '9c1e 5a7b 3d2f 4e6a',
      '暂时无法核验',
    ],
  },
  {
    name: 'search finds receipts by a word typed in',
    page: 'pages/search/index',
    query: { villageId: '2', townId: '1' },
    api: {},
    texts: ['查找收据', '只找本村', '全镇各村', '只会找到已经公开的收据。'],
    then: {
      act: async (page) => {
        await page.input('.search-input', '水泥');
        await page.tap('.search-button');
      },
      api: { 'GET /api/search?q=%E6%B0%B4%E6%B3%A5&villageId=2&page=1&pageSize=20': SEARCH },
      texts: ['找到 1 张收据', '张三五金店', '河口村 · 2026年10月', '1,000.00 元'],
    },
  },
];

describe('villager pages render in the WeChat simulator', () => {
  let out: string;

  beforeAll(async () => {
    out = await buildWeapp();
  }, BUILD_HOOK_TIMEOUT_MS);
  afterAll(() => closeSimulator());

  test('every page of app.json has a row here', () => {
    const covered = new Set(ROWS.map((row) => row.page));
    expect(appPages(readAppJson(out)).map((p) => p.page).filter((page) => !covered.has(page))).toEqual([]);
  });

  test('the fake API answers are what the server sends (shared/schemas)', () => {
    townListSchema.parse(TOWNS);
    publicVillageSchema.parse(VILLAGE);
    publishedMonthSchema.parse(MONTH);
    publicVoucherDetailSchema.parse(RECEIPT);
    searchResultSchema.parse(SEARCH);
  });

  test.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const api: FakeApi = { ...row.api, ...row.then?.api };
    const page = renderPage(out, row.page, row.query ?? {}, api, row.storage);
    try {
      await page.waitForTexts(row.texts, [...ALWAYS_ABSENT, ...(row.absent ?? [])]);
      if (row.then) {
        await row.then.act(page);
        if (row.then.texts) await page.waitForTexts(row.then.texts, ALWAYS_ABSENT);
        if (row.then.navigations) expect(page.navigations).toEqual(row.then.navigations);
      }
      for (const [key, value] of Object.entries(row.stored ?? {})) expect(page.storage.get(key)).toEqual(value);
      // Exactly the calls the row expects: none unanswered, no answer unused.
      expect(page.requests.filter((r) => r.answeredBy === null)).toEqual([]);
      expect([...new Set(page.requests.map((r) => r.answeredBy))].sort()).toEqual(Object.keys(api).sort());
      expect(page.errors).toEqual([]);
    } finally {
      page.unload();
    }
  });
});
