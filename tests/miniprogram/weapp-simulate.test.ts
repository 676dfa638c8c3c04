/**
 * Every page of the WeChat build, the villagers' and the staff subpackage's, renders in WeChat's component
 * system (miniprogram-simulate: exparser + j-component on jsdom, templates compiled by WeChat's wcc), fed by
 * a fake API that keeps to the server's contract (shared/api): every answer fits its route's schema, every
 * body sent fits the route's request schema, and staff calls carry the login's token.
 *
 * Runs in the repo's node environment: jest-environment-jsdom is not installed, so the harness makes its own
 * jsdom window (tests/helpers/weapp-simulate.ts). It uses a DOM that is already there, so a
 * `@jest-environment jsdom` docblock should need no other change once that package is added (not tried).
 */
import { SESSION_KEY, STAFF_PAGES } from '../../miniprogram/src/lib/staff/staff-session';
import { apiRoutes, type RouteSpec } from '../../shared/api';
import { unexpectedError } from '../../shared/api/responses';
import { amendmentListSchema, amendmentSchema, type Amendment } from '../../shared/schemas/amendments';
import { loginResponseSchema, type LoginResponse } from '../../shared/schemas/auth';
import { townListSchema } from '../../shared/schemas/directory';
import { errorBodySchema } from '../../shared/schemas/errors';
import { monthStatusSchema, reviewQueueSchema } from '../../shared/schemas/months';
import { publicVillageSchema, publicVoucherDetailSchema, publishedMonthSchema, searchResultSchema } from '../../shared/schemas/public';
import { staffVoucherSchema, uploadResponseSchema } from '../../shared/schemas/vouchers';
import { appPages, buildWeapp, BUILD_HOOK_TIMEOUT_MS, readAppJson } from '../helpers/weapp-build';
import {
  ACCOUNTANT_LOGIN,
  MONTH,
  OFFICIAL_LOGIN,
  PENDING_AMENDMENT,
  PUBLISHED_MONTH,
  RECEIPT,
  REJECTED_MONTH,
  REVIEW_QUEUE,
  SEARCH,
  STAFF_CEMENT,
  STAFF_PUBLISHED,
  STAFF_TRANSPORT,
  STAFF_UPLOADED,
  SUBMITTED_MONTH,
  TOWNS,
  VILLAGE,
  apiError,
  unavailable,
} from '../helpers/weapp-fixtures';
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
    /** The body sent with each of these calls (each made once). */
    sent?: Record<string, unknown>;
  };
  /** wx storage afterwards must contain these. */
  stored?: Record<string, unknown>;
}

/** Never shown on a finished page: a loader left behind, or a value rendered raw. */
const ALWAYS_ABSENT = ['正在加载…', 'undefined', 'NaN', '[object Object]', 'null'];
/** Staff pictures come through wx.downloadFile with the login header: none left loading or failed. */
const IMAGES_SHOWN = ['图片加载中…', '图片没有加载出来'];

const signedIn = (login: LoginResponse) => ({ [SESSION_KEY]: login });
/** A temp file as wx.downloadFile hands it out. */
const tempFile = (name: string) => `wxfile://tmp/${name}`;
const PASSWORD = 'correct-horse-42';
const SHIQIAO_OCTOBER = '/api/villages/3/months/2026-10';
const UPLOAD_OCTOBER = `${STAFF_PAGES.upload}?villageId=3&month=2026-10`;
const OCTOBER_VOUCHERS = { vouchers: [STAFF_CEMENT, STAFF_TRANSPORT] };
const PICKED_PHOTO = { tempFilePath: tempFile('receipt-1.jpg'), size: 240 * 1024, fileType: 'image', width: 1200, height: 1600, duration: 0, thumbTempFilePath: '' };
const UNCOVERED_MESSAGE = '凭证 22 上有身份证号或手机号没有遮住。请调整遮挡框，或写明理由后强制通过';
/** Approving a month with an ID card outside every box: refused until there is a reason. */
const UNCOVERED = apiError(409, 'personal_data_uncovered', UNCOVERED_MESSAGE);
/** One file, filed as voucher 23 and being read. */
const UPLOADED = { status: 202, body: { results: [{ file: 'receipt-1.jpg', id: 23, status: 'processing' }] } };
const APPROVED_AMENDMENT: Amendment = { ...PENDING_AMENDMENT, status: 'approved', decidedBy: 8, decidedAt: '2026-11-30T02:00:00.000Z', digest: 'f6'.repeat(32) };

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

  // Staff subpackage.
  {
    name: 'staff login asks for both username and password',
    page: 'staff/login/index',
    api: {},
    texts: ['‹ 回首页', '工作人员登录', '村会计上传凭证，镇里审核公开。村民查看不需要登录。', '用户名', '密码', '登录'],
    absent: ['请填写用户名和密码', '退出登录'],
    then: { act: (page) => page.tap('.login-submit'), texts: ['请填写用户名和密码'], navigations: [] },
  },
  {
    name: "staff login keeps the session and takes the accountant to their village's months",
    page: 'staff/login/index',
    api: {},
    texts: ['工作人员登录', '登录'],
    then: {
      act: async (page) => {
        await page.input('.text-input', ' shiqiao-acct ', 0);
        await page.input('.text-input', PASSWORD, 1);
        await page.tap('.login-submit');
      },
      api: { 'POST /api/auth/login': ACCOUNTANT_LOGIN },
      sent: { 'POST /api/auth/login': { username: 'shiqiao-acct', password: PASSWORD } },
      navigations: [{ api: 'redirectTo', url: `${STAFF_PAGES.months}?villageId=3` }],
    },
    stored: signedIn(ACCOUNTANT_LOGIN),
  },
  {
    name: 'a staff page without a login sends to the login page, to come back after',
    page: 'staff/upload/index',
    query: { villageId: '3', month: '2026-10' },
    api: {},
    texts: ['正在打开…'],
    absent: ['拍照或从相册选照片', '退出登录'],
    then: { act: async () => undefined, navigations: [{ api: 'redirectTo', url: `${STAFF_PAGES.login}?next=${encodeURIComponent(UPLOAD_OCTOBER)}` }] },
  },
  {
    name: 'staff login goes back to the page that asked for it',
    page: 'staff/login/index',
    // As WeChat hands a page its query: values still percent-encoded.
    query: { next: encodeURIComponent(UPLOAD_OCTOBER) },
    api: {},
    texts: ['工作人员登录'],
    then: {
      act: async (page) => {
        await page.input('.text-input', 'shiqiao-acct', 0);
        await page.input('.text-input', PASSWORD, 1);
        await page.tap('.login-submit');
      },
      api: { 'POST /api/auth/login': ACCOUNTANT_LOGIN },
      sent: { 'POST /api/auth/login': { username: 'shiqiao-acct', password: PASSWORD } },
      navigations: [{ api: 'redirectTo', url: UPLOAD_OCTOBER }],
    },
    stored: signedIn(ACCOUNTANT_LOGIN),
  },
  {
    name: "months shows the accountant's rejected month with the reason, its vouchers and flags; 提交审核 sums it up first",
    page: 'staff/months/index',
    query: { villageId: '3', month: '2026-10' },
    storage: signedIn(ACCOUNTANT_LOGIN),
    api: {
      [`GET ${SHIQIAO_OCTOBER}/status`]: REJECTED_MONTH,
      [`GET ${SHIQIAO_OCTOBER}/vouchers`]: OCTOBER_VOUCHERS,
      'DOWNLOAD /api/vouchers/21/image?variant=thumb&v=3': tempFile('thumb-21.webp'),
      'DOWNLOAD /api/vouchers/22/image?variant=thumb&v=1': tempFile('thumb-22.webp'),
    },
    texts: [
      '赵会计（村会计）',
      '本村账目',
      '退出登录',
      '‹ 上个月',
      '2026年10月',
      '下个月 ›',
      '状态：被退回，需要修改',
      '退回理由：第 2 张金额看不清，请核对后再提交',
      '共 2 张，合计 1,234.56 元',
      '上传凭证',
      '1. 1,000.00 元',
      '张三五金店',
      '2. 234.56 元',
      '李四运输队',
      '需要核对',
      '提交审核',
    ],
    absent: [...IMAGES_SHOWN, '确认提交审核', '这个月还没有凭证', '看村民看到的公开页面'],
    then: {
      act: async (page) => {
        await page.tap('.staff-submit');
        await page.tap('.staff-upload-button');
        await page.tap('.staff-voucher');
      },
      texts: ['提交前请核对', '凭证 2 张', '合计 1,234.56 元', '大写：壹仟贰佰叁拾肆元伍角陆分', '需要核对：1 张', '第 2 张需要核对，请确认', '确认提交审核', '先不提交'],
      navigations: [
        { api: 'navigateTo', url: UPLOAD_OCTOBER },
        { api: 'navigateTo', url: `${STAFF_PAGES.voucher}?id=21` },
      ],
    },
  },
  {
    name: 'upload sends a picked photo with the login and follows its reading until done',
    page: 'staff/upload/index',
    query: { villageId: '3', month: '2026-10' },
    storage: signedIn(ACCOUNTANT_LOGIN),
    api: {},
    texts: ['‹ 本月账目', '上传凭证', '2026年10月。每张发票、收据拍一张，拍清楚金额和日期。', '拍照或从相册选照片'],
    absent: ['只有本村会计可以上传凭证', '回到本月账目'],
    then: {
      act: (page) => page.tap('.pick-files'),
      api: {
        'CHOOSE media': [PICKED_PHOTO],
        [`UPLOAD ${SHIQIAO_OCTOBER}/vouchers`]: UPLOADED,
        [`GET ${SHIQIAO_OCTOBER}/vouchers`]: { vouchers: [...OCTOBER_VOUCHERS.vouchers, STAFF_UPLOADED] },
      },
      sent: {
        'CHOOSE media': { count: 20, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['original'] },
        [`UPLOAD ${SHIQIAO_OCTOBER}/vouchers`]: { name: 'files', filePath: PICKED_PHOTO.tempFilePath },
      },
      texts: ['照片 1（240 KB）', '共 1 张：已上传 1 张，识别完成 1 张', '已传好，识别完成', '回到本月账目'],
    },
  },
  {
    name: 'upload tells a town official it is only for the village accountant',
    page: 'staff/upload/index',
    query: { villageId: '3' },
    storage: signedIn(OFFICIAL_LOGIN),
    api: {},
    texts: ['钱干部（镇审核）', '待审核', '只有本村会计可以上传凭证'],
    absent: ['拍照或从相册选照片'],
  },
  {
    name: 'voucher shows the picture, its boxes and the fields to correct; a removed box is saved',
    page: 'staff/voucher/index',
    query: { id: '21' },
    storage: signedIn(ACCOUNTANT_LOGIN),
    api: {
      'GET /api/vouchers/21': { voucher: STAFF_CEMENT },
      [`GET ${SHIQIAO_OCTOBER}/status`]: REJECTED_MONTH,
      'DOWNLOAD /api/vouchers/21/image?variant=display&redacted=0&v=3': tempFile('voucher-21-v3.jpg'),
    },
    texts: [
      '‹ 返回',
      '凭证 21',
      '2026年10月，被退回，需要修改',
      '黑框里的内容不会公开。点“画一个遮挡框”后在图上拖动。',
      '画一个遮挡框',
      '框 1：身份证号（自动找到）',
      '删除框 1',
      '金额（元）',
      '大写：壹仟元整',
      '日期',
      '收款方',
      '用途说明',
      '发票代码',
      '发票号码',
      '类别',
      '办公用品',
      '工程',
      '其他',
      '保存',
      '删除这张',
    ],
    absent: [...IMAGES_SHOWN, '（只能查看）', '已保存', '没有遮挡框'],
    then: {
      act: async (page) => {
        await page.tap('.remove-box');
        await page.tap('.save-voucher');
      },
      api: {
        'POST /api/vouchers/21': { voucher: { ...STAFF_CEMENT, redactions: [], version: 4, updatedAt: '2026-11-30T02:00:00.000Z' } },
        // The saved version's picture.
        'DOWNLOAD /api/vouchers/21/image?variant=display&redacted=0&v=4': tempFile('voucher-21-v4.jpg'),
      },
      sent: { 'POST /api/vouchers/21': { version: 3, redactions: [] } },
      texts: ['没有遮挡框', '已保存'],
    },
  },
  {
    name: 'voucher of a published month is only shown',
    page: 'staff/voucher/index',
    query: { id: '12' },
    storage: signedIn(OFFICIAL_LOGIN),
    api: {
      'GET /api/vouchers/12': { voucher: STAFF_PUBLISHED },
      'GET /api/villages/2/months/2026-10/status': PUBLISHED_MONTH,
      'DOWNLOAD /api/vouchers/12/image?variant=display&redacted=0&v=2': tempFile('voucher-12.jpg'),
    },
    texts: ['凭证 12', '2026年10月，已经公开（只能查看）', '黑框里的内容不会公开。', '没有遮挡框', '金额（元）', '大写：贰佰叁拾肆元伍角陆分', '收款方', '交通'],
    absent: [...IMAGES_SHOWN, '保存', '删除这张', '画一个遮挡框', '删除框'],
  },
  {
    name: "review lists the town's submitted months and the corrections waiting, which the official can approve",
    page: 'staff/review/index',
    storage: signedIn(OFFICIAL_LOGIN),
    api: {
      'GET /api/review-queue': REVIEW_QUEUE,
      'GET /api/amendments/pending': { amendments: [PENDING_AMENDMENT] },
      'GET /api/towns': TOWNS,
    },
    texts: [
      '钱干部（镇审核）',
      '等待审核的月份',
      '石桥村 2026年10月',
      '2 张，合计 1,234.56 元',
      '提交于 2026年11月3日',
      '需要核对 1 张',
      '有个人信息 1 张',
      '等待审核的更正',
      '河口村 2026年10月 · 凭证 12',
      '发票号码改为 87654321',
      '理由：发票找到了，补上发票号码',
      '通过这条更正',
      '退回这条更正',
    ],
    absent: ['现在没有要审核的月份', '现在没有要审核的更正', '没遮住'],
    then: {
      act: async (page) => {
        await page.tap('.approve-amendment');
        await page.tap('.queue-item');
      },
      api: {
        'POST /api/amendments/5/approve': { amendment: APPROVED_AMENDMENT },
      },
      sent: { 'POST /api/amendments/5/approve': {} },
      navigations: [{ api: 'navigateTo', url: `${STAFF_PAGES.reviewMonth}?villageId=3&month=2026-10` }],
    },
  },
  {
    name: 'review-month shows every voucher of a submitted month with approve and reject; uncovered personal data asks for a reason',
    page: 'staff/review-month/index',
    query: { villageId: '3', month: '2026-10' },
    storage: signedIn(OFFICIAL_LOGIN),
    api: {
      [`GET ${SHIQIAO_OCTOBER}/status`]: SUBMITTED_MONTH,
      [`GET ${SHIQIAO_OCTOBER}/vouchers`]: OCTOBER_VOUCHERS,
      [`GET ${SHIQIAO_OCTOBER}/amendments`]: { amendments: [] },
      'DOWNLOAD /api/vouchers/21/image?variant=display&redacted=0&v=3': tempFile('voucher-21.jpg'),
      'DOWNLOAD /api/vouchers/22/image?variant=display&redacted=0&v=1': tempFile('voucher-22.jpg'),
    },
    texts: [
      '‹ 待审核',
      '审核 2026年10月',
      '状态：已提交，等镇里审核',
      '共 2 张，合计 1,234.56 元',
      '大写：壹仟贰佰叁拾肆元伍角陆分',
      '第 1 张 · 1,000.00 元',
      '收款方：张三五金店',
      '日期：2026-10-05',
      '说明：水泥 50 袋（修村道）',
      '遮挡框：1 个',
      '查看或修改第 1 张',
      '第 2 张 · 234.56 元',
      '收款方：李四运输队',
      '遮挡框：0 个',
      '需要核对：金额看不太清，请核对',
      '审核通过，公开',
      '退回理由',
      '退回给会计修改',
    ],
    absent: [...IMAGES_SHOWN, '退回理由：', '等待审核的更正', '已经公开', '仍要公开的理由'],
    then: {
      act: async (page) => {
        await page.input('.reject-reason', '第 2 张金额看不清，请核对后再提交');
        await page.tap('.reject-month');
        await page.tap('.approve-month');
      },
      api: {
        [`POST ${SHIQIAO_OCTOBER}/reject`]: REJECTED_MONTH,
        [`POST ${SHIQIAO_OCTOBER}/approve`]: UNCOVERED,
      },
      sent: {
        [`POST ${SHIQIAO_OCTOBER}/reject`]: { reason: '第 2 张金额看不清，请核对后再提交' },
        [`POST ${SHIQIAO_OCTOBER}/approve`]: {},
      },
      texts: [UNCOVERED_MESSAGE, '仍要公开的理由（会记录在案）'],
    },
  },
];

/** The route of the server's contract (shared/api) a call goes to; DOWNLOAD is a GET, UPLOAD a POST. */
function routeOf(method: string, url: string): RouteSpec | undefined {
  const httpMethod = ({ DOWNLOAD: 'get', UPLOAD: 'post' } as Record<string, string>)[method] ?? method.toLowerCase();
  const { pathname } = new URL(url, 'https://fake-api.invalid');
  const matches = apiRoutes.filter((r) => r.method === httpMethod && new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}$`).test(pathname));
  // A literal segment wins over a parameter (`/api/amendments/pending` over `/api/amendments/:id`).
  return matches.sort((a, b) => a.path.split(':').length - b.path.split(':').length)[0];
}

const asAnswer = (answer: unknown): { status: number; body: unknown } =>
  typeof answer === 'object' && answer !== null && typeof (answer as { status?: unknown }).status === 'number'
    ? (answer as { status: number; body: unknown })
    : { status: 200, body: answer };

describe('every page renders in the WeChat simulator', () => {
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
    for (const login of [ACCOUNTANT_LOGIN, OFFICIAL_LOGIN]) loginResponseSchema.parse(login);
    for (const voucher of [STAFF_CEMENT, STAFF_TRANSPORT, STAFF_UPLOADED, STAFF_PUBLISHED]) staffVoucherSchema.parse(voucher);
    for (const status of [REJECTED_MONTH, SUBMITTED_MONTH, PUBLISHED_MONTH]) monthStatusSchema.parse(status);
    reviewQueueSchema.parse(REVIEW_QUEUE);
    amendmentListSchema.parse({ amendments: [PENDING_AMENDMENT] });
    amendmentSchema.parse(APPROVED_AMENDMENT);
    uploadResponseSchema.parse(UPLOADED.body);
    errorBodySchema.parse(UNCOVERED.body);
  });

  test('every fake answer of every row is what the server sends on that route (shared/api)', () => {
    const checked: string[] = [];
    for (const row of ROWS) {
      for (const [key, answer] of Object.entries({ ...row.api, ...row.then?.api })) {
        if (key === 'CHOOSE media') continue; // the phone's picker, not the server
        const [method, url] = key.split(' ');
        const route = routeOf(method, url);
        if (!route) throw new Error(`${row.name}: ${key} is no route of shared/api`);
        const { status, body } = asAnswer(answer);
        const spec = route.responses[status] ?? (status >= 500 ? unexpectedError : undefined);
        if (!spec) throw new Error(`${row.name}: ${key} never answers ${status}`);
        const query = Object.fromEntries(new URL(url, 'https://fake-api.invalid').searchParams);
        if (route.query) route.query.parse(query);
        else expect({ key, query }).toEqual({ key, query: {} });
        if (method === 'DOWNLOAD' && status === 200) {
          // A file: the page gets a temp path, the server sent bytes.
          expect({ key, media: Boolean(spec.media) }).toEqual({ key, media: true });
          expect(body).toMatch(/^wxfile:\/\/tmp\//);
        } else {
          if (!spec.json) throw new Error(`${row.name}: ${key} answers ${status} without a JSON body`);
          spec.json.parse(body);
        }
        checked.push(key);
      }
    }
    expect(checked.length).toBeGreaterThan(30);
  });

  test.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const api: FakeApi = { ...row.api, ...row.then?.api };
    const page = renderPage(out, row.page, row.query ?? {}, api, row.storage);
    try {
      await page.waitForTexts(row.texts, [...ALWAYS_ABSENT, ...(row.absent ?? [])]);
      if (row.then) {
        await row.then.act(page);
        if (row.then.texts) await page.waitForTexts(row.then.texts, ALWAYS_ABSENT);
        if (row.then.navigations) {
          // A navigation may follow an answer (a login): give it a moment.
          const deadline = Date.now() + 2000;
          while (page.navigations.length < row.then.navigations.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          expect(page.navigations).toEqual(row.then.navigations);
        }
      }
      for (const [key, value] of Object.entries(row.stored ?? {})) expect(page.storage.get(key)).toEqual(value);
      // Exactly the calls the row expects: none unanswered, no answer unused.
      expect(page.requests.filter((r) => r.answeredBy === null)).toEqual([]);
      expect([...new Set(page.requests.map((r) => r.answeredBy))].sort()).toEqual(Object.keys(api).sort());
      for (const [key, body] of Object.entries(row.then?.sent ?? {}))
        expect({ key, sent: page.requests.filter((r) => r.answeredBy === key).map((r) => r.data) }).toEqual({ key, sent: [body] });
      // What the server would take: JSON bodies by the route's request schema, staff calls with the login's token.
      const token = (row.storage?.[SESSION_KEY] as LoginResponse | undefined)?.token;
      for (const r of page.requests.filter((req) => req.method !== 'CHOOSE')) {
        const route = routeOf(r.method, r.url)!;
        const body = route.body;
        if (body && 'json' in body) body.json.parse(r.data);
        if (body && 'multipart' in body) expect(r.data).toMatchObject({ name: body.multipart.field });
        const expected = route.auth === 'public' || !token ? 'no token' : `Bearer ${token}`;
        expect(`${r.method} ${r.url}: ${r.header.Authorization ?? 'no token'}`).toBe(`${r.method} ${r.url}: ${expected}`);
      }
      expect(page.errors).toEqual([]);
    } finally {
      page.unload();
    }
  });
});
