import { z } from '../zod';
import { monthSchema } from '../month';
import { reasonSchema } from './months';
import { redactionSchema, voucherFieldsSchema } from './vouchers';

/** What an amendment changes: fields, the redaction boxes, or taking the voucher out of the month. */
export const amendmentChangesSchema = z
  .object({
    fields: voucherFieldsSchema.partial().strict().optional(),
    redactions: z.array(redactionSchema.strict()).max(100).optional(),
    withdraw: z.literal(true).optional(),
  })
  .strict()
  .refine((c) => Boolean(c.withdraw || c.redactions || (c.fields && Object.keys(c.fields).length)), { message: '请写明要更正的内容' })
  .refine((c) => !(c.withdraw && (c.fields || c.redactions)), { message: '撤回凭证时不能同时更正内容' });
export type AmendmentChanges = z.infer<typeof amendmentChangesSchema>;

export const amendmentRequestSchema = z.object({ changes: amendmentChangesSchema, reason: reasonSchema }).strict();
export type AmendmentRequest = z.infer<typeof amendmentRequestSchema>;

export const AMENDMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;

export const amendmentSchema = z.object({
  id: z.number().int(),
  voucherId: z.number().int(),
  villageId: z.number().int(),
  month: monthSchema,
  status: z.enum(AMENDMENT_STATUSES),
  changes: amendmentChangesSchema,
  reason: z.string(),
  requestedBy: z.number().int().nullable(),
  requestedAt: z.string(),
  decidedBy: z.number().int().nullable(),
  decidedAt: z.string().nullable(),
  /** Why an official turned it down. */
  rejectionReason: z.string().nullable(),
  /** The chain entry that published it. */
  digest: z.string().nullable(),
});
export type Amendment = z.infer<typeof amendmentSchema>;
export const amendmentListSchema = z.object({ amendments: z.array(amendmentSchema) });
