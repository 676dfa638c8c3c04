import { z } from '../zod';
import { monthSchema } from '../month';
import { digestSchema } from './chain';

/**
 * Path parameters as the URL carries them (strings). They live here, not in server/, so the
 * OpenAPI contract in shared/api describes exactly what the routes parse.
 */

/** Ids must be positive integers written plainly; the route gets a number. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, { message: '编号应为正整数' })
  .transform(Number);

/** A public image's content address: the sha256 of its bytes and its format. */
export const imageFileParam = z.string().regex(/^[0-9a-f]{64}\.(?:jpg|webp)$/, { message: '图片地址不对' });

export const idParams = z.object({ id: idParam });
export const villageParams = z.object({ villageId: idParam });
export const villageMonthParams = z.object({ villageId: idParam, month: monthSchema });
export const digestParams = z.object({ digest: digestSchema });
export const imageFileParams = z.object({ file: imageFileParam });
