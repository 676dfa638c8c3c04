/** The simplest accuracy measure of an OCR engine, independent of any field extractor. */

export const FIELDS = ['amount', 'date', 'invoiceNumber', 'payee'] as const;
export type Field = (typeof FIELDS)[number];

/** Full-width forms to ASCII (NFKC), no whitespace, no thousands separators. */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s,]/g, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the true value can be read off the raw OCR text (lines in reading order) — what any
 * field extractor needs at the very least. Amount: the exact decimal, or a whole amount followed
 * by 元/圆. Date: year, month, day with 年月日 or - . / between them, or 8 digits. Payee: as written.
 * All but the amount may be split over consecutive lines (the detector cuts "2022 | 年9月11日").
 */
export function appearsInText(field: Field, value: string, lines: string[]): boolean {
  const oneLine = lines.map(normalize).join('\n');
  const joined = lines.map(normalize).join('');
  if (field === 'payee') return joined.includes(normalize(value));
  if (field === 'invoiceNumber') return new RegExp(`(?<!\\d)${value}(?!\\d)`).test(joined);
  if (field === 'amount') {
    const [whole, cents] = value.split('.');
    const exact = `(?<!\\d)${escape(value)}(?!\\d)`;
    const pattern = cents === '00' ? `${exact}|(?<!\\d)${whole}[元圆]` : exact;
    return new RegExp(pattern).test(oneLine);
  }
  const [y, m, d] = value.split('-');
  const n = (s: string) => `0?${Number(s)}`;
  // A zero-padded day may run into a following time ("2023-12-0518:50:28").
  return new RegExp(`${y}[年\\-./]${n(m)}[月\\-./](?:${d}|${n(d)}(?!\\d))|(?<!\\d)${y}${m}${d}(?!\\d)`).test(joined);
}
