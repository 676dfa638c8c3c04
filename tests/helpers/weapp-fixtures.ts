/**
 * Fake API answers for rendering the pages in the WeChat simulator: the public API for the villager pages,
 * the staff API for the staff subpackage. Typed by, and checked against (weapp-simulate.test.ts), the
 * server's schemas in shared/schemas, so they stay what the server sends.
 */
import type { Amendment } from '../../shared/schemas/amendments';
import type { LoginResponse } from '../../shared/schemas/auth';
import type { TownList } from '../../shared/schemas/directory';
import type { MonthStatus, ReviewQueueItem } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { StaffVoucher } from '../../shared/schemas/vouchers';
import type { PublicVillage, PublicVoucher, PublicVoucherDetail, PublishedMonth, SearchResult } from '../../shared/schemas/public';

const digest = (seed: string) => seed.repeat(64 / seed.length);
export const MONTH_DIGEST = `9c1e5a7b3d2f4e6a${digest('0123456789abcdef').slice(16)}`;
const PUBLICATION_DIGEST = digest('5b');

export const TOWNS: TownList = {
  towns: [
    {
      id: 1,
      name: '青山镇',
      villages: [
        { id: 2, name: '河口村' },
        { id: 3, name: '石桥村' },
      ],
    },
    { id: 4, name: '白水镇', villages: [] },
  ],
};

const village = { id: 2, name: '河口村', townId: 1, townName: '青山镇' };

export const VILLAGE: PublicVillage = {
  village,
  months: [
    { month: '2026-09', count: 1, totalFen: 8000, publishedAt: '2026-10-08T02:00:00.000Z', digest: digest('7d'), amendmentCount: 0 },
    { month: '2026-10', count: 2, totalFen: 123456, publishedAt: '2026-11-06T02:00:00.000Z', digest: MONTH_DIGEST, amendmentCount: 2 },
  ],
};

const image = (seed: string) => ({ thumbUrl: `/api/images/${digest(seed)}.webp`, imageUrl: `/api/images/${digest(seed)}.jpg` });

/** Amount corrected from 900.00 to 1,000.00 after publication. */
const cement: PublicVoucher = {
  id: 11,
  villageId: 2,
  month: '2026-10',
  amountFen: 100000,
  date: '2026-10-05',
  payee: '张三五金店',
  description: '水泥 50 袋（修村道）',
  category: '工程',
  invoiceCode: '044001900111',
  invoiceNumber: '12345678',
  ...image('a1'),
  status: 'valid',
  withdrawnReason: null,
  amendmentCount: 1,
};

const transport: PublicVoucher = {
  ...cement,
  id: 12,
  amountFen: 23456,
  date: '2026-10-12',
  payee: '李四运输队',
  description: '运沙两车',
  category: '交通',
  invoiceCode: null,
  invoiceNumber: null,
  ...image('b2'),
  amendmentCount: 0,
};

const withdrawn: PublicVoucher = {
  ...cement,
  id: 13,
  amountFen: 30000,
  date: '2026-10-20',
  payee: '王五饭店',
  description: '招待餐费',
  category: '餐饮',
  ...image('c3'),
  status: 'withdrawn',
  withdrawnReason: '重复报销',
  amendmentCount: 1,
};

const amountFix = {
  digest: digest('e4'),
  voucherId: 11,
  reason: '录入时少写了一百元',
  approvedAt: '2026-11-10T03:00:00.000Z',
  withdrawn: false,
  changes: { amountFen: { from: 90000, to: 100000 } },
  totalFen: 123456 + 30000,
};

const withdrawal = {
  digest: MONTH_DIGEST,
  voucherId: 13,
  reason: '重复报销',
  approvedAt: '2026-11-12T03:00:00.000Z',
  withdrawn: true,
  changes: { withdrawn: { from: false, to: true } },
  totalFen: 123456,
};

export const MONTH: PublishedMonth = {
  village,
  month: '2026-10',
  publishedAt: '2026-11-06T02:00:00.000Z',
  count: 2,
  totalFen: 123456,
  digest: MONTH_DIGEST,
  publicationDigest: PUBLICATION_DIGEST,
  vouchers: [cement, transport, withdrawn],
  amendments: [amountFix, withdrawal],
};

export const RECEIPT: PublicVoucherDetail = {
  village,
  voucher: cement,
  amendments: [amountFix],
  digest: MONTH_DIGEST,
  publicationDigest: PUBLICATION_DIGEST,
};

export const SEARCH: SearchResult = {
  q: '水泥',
  page: 1,
  pageSize: 20,
  total: 1,
  hits: [{ ...cement, villageName: '河口村', townId: 1 }],
};

/** A server error body, as every API error is shaped. */
export const unavailable = (message = '服务暂时不可用') => ({ status: 503, body: { error: { code: 'unavailable', message } } });

/*
 * Staff. 石桥村 (village 3 of 青山镇, no public months above) has its October 2026 in the works: its accountant
 * uploads, the town official reviews. 河口村's published October has a correction waiting (voucher 12, 李四运输队).
 */

/** A JWT's part: base64url of JSON. */
const jwtPart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What POST /api/auth/login answers: a JWT-shaped token (the phone reads only its `exp`, never the signature), good for an hour. */
function loginAs(user: User): LoginResponse {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return {
    token: `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: user.id, role: user.role, exp })}.${jwtPart('not-a-real-signature')}`,
    expiresAt: new Date(exp * 1000).toISOString(),
    user,
  };
}

export const ACCOUNTANT_LOGIN = loginAs({ id: 7, username: 'shiqiao-acct', displayName: '赵会计', role: 'accountant', villageId: 3, townId: null });
export const OFFICIAL_LOGIN = loginAs({ id: 8, username: 'qingshan-review', displayName: '钱干部', role: 'official', villageId: null, townId: 1 });

const staffImages = (id: number, version: number) => ({
  thumbUrl: `/api/vouchers/${id}/image?variant=thumb&v=${version}`,
  imageUrl: `/api/vouchers/${id}/image?variant=display&v=${version}`,
});

/** Read and checked: an ID card number found and boxed. */
export const STAFF_CEMENT: StaffVoucher = {
  id: 21,
  villageId: 3,
  month: '2026-10',
  status: 'ready',
  processingError: null,
  originalName: 'IMG_0412.jpg',
  width: 1200,
  height: 1600,
  amountFen: 100000,
  date: '2026-10-05',
  invoiceCode: '044001900111',
  invoiceNumber: '12345678',
  payee: '张三五金店',
  description: '水泥 50 袋（修村道）',
  category: '工程',
  confidences: { amountFen: 0.97, date: 0.95, invoiceCode: 0.99, invoiceNumber: 0.99, payee: 0.9, category: 0.8 },
  flags: [],
  redactions: [{ box: [120, 1380, 640, 60], type: 'idcard', source: 'auto' }],
  ocrEngine: 'paddleocr',
  ocrText: '青山镇张三五金店 水泥 50 袋 合计 1000.00',
  ...staffImages(21, 3),
  withdrawn: null,
  version: 3,
  createdAt: '2026-10-06T01:00:00.000Z',
  updatedAt: '2026-10-08T02:30:00.000Z',
};

/** The amount was hard to read: waits for the accountant to look (blocks submitting). */
export const STAFF_TRANSPORT: StaffVoucher = {
  ...STAFF_CEMENT,
  id: 22,
  originalName: 'IMG_0415.jpg',
  amountFen: 23456,
  date: '2026-10-12',
  invoiceCode: null,
  invoiceNumber: null,
  payee: '李四运输队',
  description: '运沙两车',
  category: '交通',
  confidences: { amountFen: 0.41, date: 0.93, invoiceCode: 0, invoiceNumber: 0, payee: 0.88, category: 0.7 },
  flags: [{ type: 'needs_checking', message: '金额看不太清，请核对', acknowledged: false }],
  redactions: [],
  ocrText: '李四运输队 运沙 2 车 234.56',
  ...staffImages(22, 1),
  version: 1,
  createdAt: '2026-10-13T01:00:00.000Z',
  updatedAt: '2026-10-13T01:00:05.000Z',
};

/** Just uploaded (upload page) and read by the server. */
export const STAFF_UPLOADED: StaffVoucher = {
  ...STAFF_TRANSPORT,
  id: 23,
  originalName: 'receipt-1.jpg',
  amountFen: 5000,
  date: '2026-10-28',
  payee: '石桥村小卖部',
  description: '办公用纸',
  category: '办公用品',
  flags: [],
  ocrText: '石桥村小卖部 A4 纸 50.00',
  ...staffImages(23, 1),
  createdAt: '2026-11-30T01:00:00.000Z',
  updatedAt: '2026-11-30T01:00:04.000Z',
};

/** 河口村's published voucher 12 as staff see it (read-only now). */
export const STAFF_PUBLISHED: StaffVoucher = {
  ...STAFF_TRANSPORT,
  villageId: 2,
  id: 12,
  month: '2026-10',
  flags: [],
  ...staffImages(12, 2),
  version: 2,
};

const monthStatus = (status: MonthStatus['status'], extra: Partial<MonthStatus> = {}): MonthStatus => ({
  villageId: 3,
  month: '2026-10',
  status,
  rejectionReason: null,
  submittedAt: null,
  publishedAt: null,
  digest: null,
  ...extra,
});

export const REJECTED_MONTH = monthStatus('rejected', { rejectionReason: '第 2 张金额看不清，请核对后再提交', submittedAt: '2026-11-02T02:00:00.000Z' });
export const SUBMITTED_MONTH = monthStatus('submitted', { submittedAt: '2026-11-03T02:00:00.000Z' });
export const PUBLISHED_MONTH: MonthStatus = { ...monthStatus('published'), villageId: 2, submittedAt: '2026-11-04T02:00:00.000Z', publishedAt: '2026-11-06T02:00:00.000Z', digest: PUBLICATION_DIGEST };

export const REVIEW_QUEUE: { months: ReviewQueueItem[] } = {
  months: [
    {
      villageId: 3,
      villageName: '石桥村',
      month: '2026-10',
      submittedAt: '2026-11-03T02:00:00.000Z',
      voucherCount: 2,
      totalFen: 123456,
      flags: { needs_checking: 1, duplicate: 0, personal_data: 1 },
      uncoveredPersonalData: 0,
    },
  ],
};

/** 河口村's accountant asks to add the invoice number to the published voucher 12. */
export const PENDING_AMENDMENT: Amendment = {
  id: 5,
  voucherId: 12,
  villageId: 2,
  month: '2026-10',
  status: 'pending',
  changes: { fields: { invoiceNumber: '87654321' } },
  reason: '发票找到了，补上发票号码',
  requestedBy: 6,
  requestedAt: '2026-11-20T03:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  rejectionReason: null,
  digest: null,
};

/** An API error as the server sends it. */
export const apiError = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
