/**
 * Fake public-API answers for rendering the villager pages in the WeChat simulator. Typed by, and checked
 * against (weapp-simulate.test.ts), the server's schemas in shared/schemas, so they stay what the server sends.
 */
import type { TownList } from '../../shared/schemas/directory';
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
