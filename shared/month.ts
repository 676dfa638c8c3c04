import { z } from './zod';

/** A month is always written `YYYY-MM` (1–12, zero-padded). */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const monthSchema = z
  .string()
  .regex(MONTH_PATTERN, { message: '月份格式应为 YYYY-MM，例如 2026-03' });

export type Month = z.infer<typeof monthSchema>;

export function isMonth(value: string): value is Month {
  return MONTH_PATTERN.test(value);
}

/** The month a moment falls in, in China's time zone (UTC+8, no daylight saving). */
export function monthInShanghai(at: Date): Month {
  const shifted = new Date(at.getTime() + 8 * 3600 * 1000);
  const y = shifted.getUTCFullYear();
  const m = shifted.getUTCMonth() + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}
