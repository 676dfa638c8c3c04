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
});
export type MonthStatus = z.infer<typeof monthStatusSchema>;
