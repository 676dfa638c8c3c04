import { z } from '../zod';
import { CATEGORIES } from '../categories';
import { monthSchema } from '../month';
import { isPlainText, notPlainTextMessage } from '../plain-text';

export const VOUCHER_STATUSES = ['processing', 'ready', 'failed'] as const;
export const voucherStatusSchema = z.enum(VOUCHER_STATUSES);
export type VoucherStatus = z.infer<typeof voucherStatusSchema>;

export const categorySchema = z.enum(CATEGORIES);

/** [x, y, width, height] in pixels of the upright original image. */
export const boxSchema = z.tuple([z.number().min(0), z.number().min(0), z.number().positive(), z.number().positive()]);

export const redactionSchema = z.object({
  box: boxSchema,
  /** What was found there; `manual` for a box a person drew. */
  type: z.enum(['idcard', 'phone', 'bankcard', 'name', 'manual']),
  source: z.enum(['auto', 'manual']),
});
export type Redaction = z.infer<typeof redactionSchema>;

export const FLAG_TYPES = ['needs_checking', 'duplicate', 'personal_data'] as const;
export const flagSchema = z.object({
  type: z.enum(FLAG_TYPES),
  /** Plain Chinese for the accountant. */
  message: z.string(),
  /** For `duplicate`: the voucher this one seems to repeat. */
  otherVoucherId: z.number().int().optional(),
  acknowledged: z.boolean(),
});
export type VoucherFlag = z.infer<typeof flagSchema>;

export const confidencesSchema = z.object({
  amountFen: z.number(),
  date: z.number(),
  invoiceCode: z.number(),
  invoiceNumber: z.number(),
  payee: z.number(),
  category: z.number(),
});

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' });

/** The editable facts of a voucher. */
export const voucherFieldsSchema = z.object({
  amountFen: z.number().int({ message: '金额必须以分为单位的整数' }).min(-100_000_000_00).max(100_000_000_00).nullable(),
  date: dateSchema.nullable(),
  invoiceCode: z.string().regex(/^\d{10}$|^\d{12}$/, { message: '发票代码应为 10 或 12 位数字' }).nullable(),
  invoiceNumber: z.string().regex(/^\d{8}$|^\d{20}$/, { message: '发票号码应为 8 位或 20 位数字' }).nullable(),
  payee: z
    .string()
    .trim()
    .max(200, { message: '收款方最多 200 个字' })
    .refine((text) => isPlainText(text, false), { message: notPlainTextMessage('收款方') })
    .nullable(),
  description: z
    .string()
    .trim()
    .max(500, { message: '说明最多 500 个字' })
    .refine((text) => isPlainText(text, true), { message: notPlainTextMessage('说明') })
    .nullable(),
  category: categorySchema.nullable(),
});
export type VoucherFields = z.infer<typeof voucherFieldsSchema>;

/** A voucher as the village's staff see it, before publication. */
export const staffVoucherSchema = voucherFieldsSchema.extend({
  id: z.number().int(),
  villageId: z.number().int(),
  month: monthSchema,
  status: voucherStatusSchema,
  processingError: z.string().nullable(),
  originalName: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  confidences: confidencesSchema.nullable(),
  flags: z.array(flagSchema),
  redactions: z.array(redactionSchema),
  ocrEngine: z.string().nullable(),
  ocrText: z.string().nullable(),
  thumbUrl: z.string().nullable(),
  imageUrl: z.string().nullable(),
  /** Taken out of a published month by an amendment: it stays listed, with the reason. */
  withdrawn: z.object({ reason: z.string(), at: z.string() }).nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StaffVoucher = z.infer<typeof staffVoucherSchema>;

export const staffVoucherListSchema = z.object({ vouchers: z.array(staffVoucherSchema) });

export const uploadResultSchema = z.union([
  z.object({ file: z.string(), id: z.number().int(), status: z.literal('processing') }),
  z.object({
    file: z.string(),
    error: z.object({ code: z.string(), message: z.string(), existingVoucherId: z.number().int().optional() }),
  }),
]);
export type UploadResult = z.infer<typeof uploadResultSchema>;
export const uploadResponseSchema = z.object({ results: z.array(uploadResultSchema) });

export const voucherPatchSchema = z
  .object({
    /** The version the editor saw; a newer one on the server means someone else changed it (409). */
    version: z.number().int().positive(),
    fields: voucherFieldsSchema.partial().strict().optional(),
    redactions: z.array(redactionSchema.strict()).max(100).optional(),
    /** Flag types the accountant has looked at and accepts. */
    acknowledgeFlags: z.array(z.enum(FLAG_TYPES)).optional(),
  })
  .strict();
export type VoucherPatch = z.infer<typeof voucherPatchSchema>;

export const IMAGE_VARIANTS = ['thumb', 'display', 'original'] as const;
export const imageQuerySchema = z.object({
  variant: z.enum(IMAGE_VARIANTS).default('display'),
  /** `0` asks for the unredacted copy (staff of that village or town only). */
  redacted: z.enum(['0', '1']).default('1'),
});
