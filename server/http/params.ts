import { z } from '../../shared/zod';
import { monthSchema } from '../../shared/month';

/** Path parameters arrive as strings; ids must be positive integers written plainly. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { message: '编号应为正整数' })
  .transform(Number);

export const villageMonthParams = z.object({ villageId: idParam, month: monthSchema });
export const idParams = z.object({ id: idParam });
