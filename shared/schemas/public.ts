import { z } from '../zod';
import { CATEGORIES } from '../categories';
import { monthSchema } from '../month';
import { digestSchema } from './chain';

/**
 * What anyone may read without logging in. Every value here comes from published months only,
 * as the village's public chain records them.
 */

const fen = z.number().int();
const id = z.number().int().positive();

/** One receipt as the public sees it: the facts and the redacted images, never the original. */
export const publicVoucherSchema = z.object({
  id,
  villageId: id,
  month: monthSchema,
  amountFen: fen.nullable(),
  date: z.string().nullable(),
  payee: z.string().nullable(),
  description: z.string().nullable(),
  category: z.enum(CATEGORIES).nullable(),
  invoiceCode: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
  /** Content-addressed, so cacheable forever: `/api/images/<sha256>.<ext>`. */
  thumbUrl: z.string(),
  imageUrl: z.string(),
  /** `withdrawn`: taken out of the month by an approved amendment; it stays listed with the reason. */
  status: z.enum(['valid', 'withdrawn']),
  withdrawnReason: z.string().nullable(),
  /** How many approved amendments changed this receipt. */
  amendmentCount: z.number().int(),
});
export type PublicVoucher = z.infer<typeof publicVoucherSchema>;

/** An approved correction of a published month, as its chain entry records it. */
export const publicAmendmentSchema = z.object({
  digest: digestSchema,
  voucherId: id,
  reason: z.string(),
  approvedAt: z.string(),
  withdrawn: z.boolean(),
  /** Each changed value, named by its field: amountFen, payee, …, displaySha256, withdrawn. */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  /** The month's total after this correction. */
  totalFen: fen,
});
export type PublicAmendment = z.infer<typeof publicAmendmentSchema>;

export const publicVillageRefSchema = z.object({
  id,
  name: z.string(),
  townId: id,
  townName: z.string(),
});
export type PublicVillageRef = z.infer<typeof publicVillageRefSchema>;

/** GET /api/villages/:villageId/months/:month */
export const publishedMonthSchema = z.object({
  village: publicVillageRefSchema,
  month: monthSchema,
  publishedAt: z.string(),
  /** Receipts not withdrawn, and their total. */
  count: z.number().int(),
  totalFen: fen,
  /** Digest of the month's latest chain entry: it covers everything shown here. */
  digest: digestSchema,
  /** Digest of the entry that first published the month. */
  publicationDigest: digestSchema,
  vouchers: z.array(publicVoucherSchema),
  amendments: z.array(publicAmendmentSchema),
});
export type PublishedMonth = z.infer<typeof publishedMonthSchema>;

export const publishedMonthSummarySchema = z.object({
  month: monthSchema,
  count: z.number().int(),
  totalFen: fen,
  publishedAt: z.string(),
  digest: digestSchema,
  amendmentCount: z.number().int(),
});
export type PublishedMonthSummary = z.infer<typeof publishedMonthSummarySchema>;

/** GET /api/villages/:villageId — newest month first. */
export const publicVillageSchema = z.object({
  village: publicVillageRefSchema,
  months: z.array(publishedMonthSummarySchema),
});
export type PublicVillage = z.infer<typeof publicVillageSchema>;

/** GET /api/vouchers/:id/public */
export const publicVoucherDetailSchema = z.object({
  village: publicVillageRefSchema,
  voucher: publicVoucherSchema,
  /** This receipt's corrections, oldest first. */
  amendments: z.array(publicAmendmentSchema),
  /** The month's latest digest and the one that first published it. */
  digest: digestSchema,
  publicationDigest: digestSchema,
});
export type PublicVoucherDetail = z.infer<typeof publicVoucherDetailSchema>;

const optionalId = z.coerce.number({ error: '编号应为正整数' }).int({ message: '编号应为正整数' }).positive({ message: '编号应为正整数' }).max(2_147_483_647, { message: '编号太大' });

/** GET /api/search — `from`/`to` are months the receipts were filed under, both ends included. */
export const searchQuerySchema = z
  .object({
    q: z.string({ error: '请输入要查找的字词' }).trim().min(1, { message: '请输入要查找的字词' }).max(100, { message: '查找的字词最多 100 个字' }),
    townId: optionalId.optional(),
    villageId: optionalId.optional(),
    from: monthSchema.optional(),
    to: monthSchema.optional(),
    page: z.coerce.number({ error: '页码应为正整数' }).int({ message: '页码应为正整数' }).min(1, { message: '页码应为正整数' }).max(1000, { message: '页码最大 1000' }).default(1),
    pageSize: z.coerce.number({ error: '每页条数应为 1–50' }).int({ message: '每页条数应为 1–50' }).min(1, { message: '每页条数应为 1–50' }).max(50, { message: '每页条数应为 1–50' }).default(20),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始月份不能晚于结束月份', path: ['from'] });
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const searchHitSchema = publicVoucherSchema.extend({ villageName: z.string(), townId: id });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z.object({
  q: z.string(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** All matches, across pages. */
  total: z.number().int(),
  /** Newest month first, then by receipt date. */
  hits: z.array(searchHitSchema),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const MIN_STATS_YEAR = 2000;
/** GET /api/villages/:villageId/stats?year= (a year in China's time zone; default this year). */
export const statsQuerySchema = z
  .object({
    year: z.coerce
      .number({ error: '年份应为四位数字' })
      .int({ message: '年份应为四位数字' })
      .min(MIN_STATS_YEAR, { message: `年份不能早于 ${MIN_STATS_YEAR}` })
      .max(2100, { message: '年份超出范围' })
      .optional(),
  })
  .strict();

export const villageStatsSchema = z.object({
  village: publicVillageRefSchema,
  year: z.number().int(),
  /** All twelve months; unpublished ones have `published: false` and zeros. */
  months: z.array(z.object({ month: monthSchema, published: z.boolean(), count: z.number().int(), totalFen: fen })),
  /** Published receipts of the year by category, largest total first; uncategorised under 其他. */
  categories: z.array(z.object({ category: z.enum(CATEGORIES), count: z.number().int(), totalFen: fen })),
  totalFen: fen,
});
export type VillageStats = z.infer<typeof villageStatsSchema>;
