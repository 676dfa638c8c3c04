import { z } from '../zod';
import { monthSchema } from '../month';

/** draft → submitted → published, or submitted → rejected → submitted again. */
export const PUBLICATION_STATUSES = ['draft', 'submitted', 'rejected', 'published'] as const;
export const publicationStatusSchema = z.enum(PUBLICATION_STATUSES);
export type PublicationStatus = z.infer<typeof publicationStatusSchema>;

export const monthStatusSchema = z.object({
  villageId: z.number().int(),
  month: monthSchema,
  status: publicationStatusSchema,
  rejectionReason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** Digest of the month's publication entry in the village's chain, once published. */
  digest: z.string().nullable(),
});
export type MonthStatus = z.infer<typeof monthStatusSchema>;

/** A written reason: rejecting a month, requesting an amendment, overriding a check. */
export const reasonSchema = z
  .string({ error: '请写明理由' })
  .trim()
  .min(1, { message: '请写明理由' })
  .max(1000, { message: '理由最多 1000 个字' });

export const rejectRequestSchema = z.object({ reason: reasonSchema }).strict();
export type RejectRequest = z.infer<typeof rejectRequestSchema>;

/**
 * Approving a month or an amendment. `overrideReason` publishes even though an ID card or
 * phone number was found outside every redaction box; it is kept in the audit log.
 */
export const approveRequestSchema = z.object({ overrideReason: reasonSchema.optional() }).strict();
export type ApproveRequest = z.infer<typeof approveRequestSchema>;

/** A submitted month waiting for a town official. */
export const reviewQueueItemSchema = z.object({
  villageId: z.number().int(),
  villageName: z.string(),
  month: monthSchema,
  submittedAt: z.string().nullable(),
  voucherCount: z.number().int(),
  totalFen: z.number().int(),
  /** How many vouchers carry each kind of flag (acknowledged or not). */
  flags: z.object({ needs_checking: z.number().int(), duplicate: z.number().int(), personal_data: z.number().int() }),
  /** Vouchers with an ID card or phone number outside every redaction box: approval needs a fix or an override. */
  uncoveredPersonalData: z.number().int(),
});
export type ReviewQueueItem = z.infer<typeof reviewQueueItemSchema>;
export const reviewQueueSchema = z.object({ months: z.array(reviewQueueItemSchema) });
