import { z } from '../zod';

/** A day in China's calendar (`2026-03-01`) or an exact time with its offset (`2026-03-01T08:00:00Z`). */
const timeBoundSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, { message: '时间格式应为 YYYY-MM-DD 或带时区的 ISO 时间' })
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00+08:00` : s)), { message: '没有这一天' });

const idString = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { message: '编号应为正整数' })
  .transform(Number);

export const auditQuerySchema = z.object({
  villageId: idString.optional(),
  /** Inclusive; a day means from its start. */
  from: timeBoundSchema.optional(),
  /** A day means through its end; an exact time is exclusive. */
  to: timeBoundSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, { message: '条数应为 1 到 500' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, { message: '条数应为 1 到 500' })
    .optional(),
  /** Paging: only events older than this id. */
  beforeId: idString.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  villageId: z.number().int().nullable(),
  /** Before and after values, reasons, counts: whatever the action recorded. */
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof auditEventSchema>;
export const auditListSchema = z.object({ events: z.array(auditEventSchema), nextBeforeId: z.number().int().nullable() });
