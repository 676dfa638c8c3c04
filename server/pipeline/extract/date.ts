import type { OcrLine } from '../../ocr/ocr-engine';
import type { FieldReading } from '../findings';
import { rows } from './layout';
import { round2 } from './reading';
import { lookalikesToDigits, toHalfWidth } from './text';

const LABEL = /(开票日期|开具日期|乘车日期|交易日期|日期|时间|填报日期|报销日期)/;

/** Date patterns, most explicit first; `labelOnly` ones are too ambiguous without a 日期 label beside them. */
const PATTERNS: { re: RegExp; confidence: number; labelOnly?: boolean }[] = [
  { re: /(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)/g, confidence: 0.92 },
  // The time may follow without a space ("2023-12-0518:50:28").
  { re: /(?<!\d)((?:19|20)\d{2})\s?[-./]\s?(\d{1,2})\s?[-./]\s?(\d{1,2}?)(?=\d{1,2}:\d{2}|(?!\d))/g, confidence: 0.88 },
  // A digit of the year read twice where its box meets 年's ("2022 2年6月28日").
  { re: /(?<!\d)((?:19|20)\d{2})\s?\d\s?年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)/g, confidence: 0.7 },
  // "20220309", or with separators lost to noise ("2024年0102日", "2024#01月02日", "2019 05 08").
  { re: /(?<!\d)((?:19|20)\d{2})[^\d\s]?(0[1-9]|1[0-2])[^\d\s]?(0[1-9]|[12]\d|3[01])(?!\d)/g, confidence: 0.75, labelOnly: true },
  { re: /(?<!\d)((?:19|20)\d{2})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})(?!\d)/g, confidence: 0.7, labelOnly: true },
  // 年 read as a digit ("2024201月14日").
  { re: /(?<!\d)((?:19|20)\d{2}).?(\d{1,2})月(\d{1,2})日/g, confidence: 0.65, labelOnly: true },
];

/** Does the day exist (30 February does not)? */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "2022", "3", "9" → "2022-03-09" if that day exists and is a plausible voucher date (1990 to next year). */
export function toIsoDate(year: string, month: string, day: string, now = new Date()): string | null {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (y < 1990 || y > now.getFullYear() + 1 || !isCalendarDate(y, m, d)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface DateCandidate {
  iso: string;
  confidence: number;
  top: number;
}

/** Dates found in one text (a row of the page), with how sure each pattern is. */
export function findDates(text: string, labelled: boolean): { iso: string; confidence: number }[] {
  const digits = lookalikesToDigits(text);
  const found: { iso: string; confidence: number }[] = [];
  for (const { re, confidence, labelOnly } of PATTERNS) {
    if (labelOnly && !labelled) continue;
    for (const m of digits.matchAll(re)) {
      const iso = toIsoDate(m[1], m[2], m[3]);
      if (iso && !found.some((f) => f.iso === iso)) found.push({ iso, confidence });
    }
  }
  return found;
}

/** The document date: 开票日期 / 日期 if labelled, else the first well-formed date on the page. */
export function extractDate(lines: OcrLine[]): { reading: FieldReading<string>; checks: string[] } {
  const candidates: DateCandidate[] = [];
  for (const row of rows(lines)) {
    const text = toHalfWidth(row.map((l) => l.text).join(' ')).replace(/\s+/g, ' ');
    const labelled = LABEL.test(text.replace(/\s/g, ''));
    const lineConfidence = Math.min(...row.map((l) => l.confidence));
    for (const { iso, confidence } of findDates(text, labelled))
      candidates.push({ iso, confidence: (confidence + (labelled ? 0.05 : 0)) * (0.85 + 0.15 * lineConfidence), top: row[0].box[1] });
  }
  if (!candidates.length) return { reading: { value: null, confidence: 0 }, checks: ['没有读到日期，请人工填写'] };
  candidates.sort((a, b) => b.confidence - a.confidence || a.top - b.top);
  const best = candidates[0];
  const distinct = new Set(candidates.map((c) => c.iso));
  if (distinct.size > 1)
    return { reading: { value: best.iso, confidence: round2(Math.min(best.confidence, 0.5)) }, checks: ['票据上有几个不同的日期，请核对'] };
  return { reading: { value: best.iso, confidence: round2(Math.min(best.confidence, 0.99)) }, checks: [] };
}
