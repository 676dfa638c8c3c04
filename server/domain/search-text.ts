import type { VoucherRecord } from './voucher';

/**
 * Search text for published vouchers, the same on SQLite and MariaDB.
 *
 * Neither engine cuts Chinese into words for us (MariaDB has no ngram parser, FTS5's trigram
 * tokenizer cannot match one or two characters, yet 水泥 and 电费 are the usual queries), so
 * the text is cut here into ASCII tokens both full-text engines index as plain words: one per
 * character (`u4e2d`) and one per adjacent pair (`b4e2d6587`). A query of two or more
 * characters needs all its pairs; the exact match is then checked on the normalised text.
 */

/** Separates a voucher's fields in the stored text. Normalised queries never contain it, so no match spans two fields. */
export const FIELD_SEPARATOR = '\n';

/** NFKC (full-width letters and digits become ASCII), lower case, no whitespace or invisible characters. */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFKC').replace(/[\s\p{Cc}\p{Cf}]/gu, '');
}

/**
 * Four hex digits for the Basic Multilingual Plane, `z` and six for the rest: every token is
 * at least five ASCII letters and digits (above innodb_ft_min_token_size, never an English
 * stopword), and a pair can be read back one way only.
 */
function hex(codePoint: number): string {
  return codePoint < 0x10000 ? codePoint.toString(16).padStart(4, '0') : `z${codePoint.toString(16).padStart(6, '0')}`;
}

export const unigramToken = (char: string): string => `u${hex(char.codePointAt(0)!)}`;
export const bigramToken = (a: string, b: string): string => `b${hex(a.codePointAt(0)!)}${hex(b.codePointAt(0)!)}`;

/** The tokens of one normalised segment: each character, and each adjacent pair. */
export function segmentTokens(segment: string): string[] {
  const chars = Array.from(segment);
  const tokens = chars.map(unigramToken);
  for (let i = 1; i < chars.length; i++) tokens.push(bigramToken(chars[i - 1], chars[i]));
  return tokens;
}

/** What a query looks for: the normalised text (matched exactly) and the tokens every hit must have. */
export interface QueryTerms {
  text: string;
  tokens: string[];
}

/** Null when nothing searchable is left after normalising. */
export function queryTerms(q: string): QueryTerms | null {
  const text = normalizeSearchText(q);
  const chars = Array.from(text);
  if (chars.length === 0) return null;
  if (chars.length === 1) return { text, tokens: [unigramToken(chars[0])] };
  const tokens = new Set<string>();
  for (let i = 1; i < chars.length; i++) tokens.add(bigramToken(chars[i - 1], chars[i]));
  return { text, tokens: [...tokens] };
}

/** Digit runs of seven or more (spaces and dashes inside, a trailing X): ID card, phone and bank card numbers. */
const LONG_NUMBER = /\d(?:[\s\-‐‑‒–—−]*\d){6,}(?:[\s\-‐‑‒–—−]*x)?/giu;

/** A line's text with every long number cut out: the pieces around it are searched, never across it. */
export function maskLongNumbers(text: string): string[] {
  return text.normalize('NFKC').split(LONG_NUMBER);
}

type Box = [number, number, number, number];

function isBox(value: unknown): value is Box {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

function overlaps(a: Box, b: Box): boolean {
  return Math.min(a[0] + a[2], b[0] + b[2]) > Math.max(a[0], b[0]) && Math.min(a[1] + a[3], b[1] + b[3]) > Math.max(a[1], b[1]);
}

/** The facts of a voucher searching may use. */
export type SearchableVoucher = Pick<VoucherRecord, 'payee' | 'description' | 'invoiceCode' | 'invoiceNumber' | 'ocrLines' | 'redactions'>;

/**
 * The OCR text the public may search. Lines and redaction boxes are in the same upright image's
 * pixels: a line touching any box is left out whole, a line without a readable box too, and long
 * numbers the boxes missed are cut out of the rest.
 */
export function publicOcrSegments(voucher: Pick<SearchableVoucher, 'ocrLines' | 'redactions'>): string[] {
  const boxes = voucher.redactions.map((r) => r.box).filter(isBox);
  const segments: string[] = [];
  for (const line of voucher.ocrLines ?? []) {
    const { text, box } = (line ?? {}) as { text?: unknown; box?: unknown };
    if (typeof text !== 'string' || !isBox(box) || boxes.some((b) => overlaps(box, b))) continue;
    segments.push(...maskLongNumbers(text));
  }
  return segments;
}

/** A voucher's searchable text (its fields, normalised, one per segment) and its tokens, each once. */
export interface SearchDocument {
  text: string;
  tokens: string;
}

export function searchDocument(voucher: SearchableVoucher): SearchDocument {
  const raw = [voucher.payee, voucher.description, voucher.invoiceCode, voucher.invoiceNumber, ...publicOcrSegments(voucher)];
  const segments = [...new Set(raw.map((s) => normalizeSearchText(s ?? '')).filter((s) => s !== ''))];
  const tokens = new Set(segments.flatMap(segmentTokens));
  return { text: segments.join(FIELD_SEPARATOR), tokens: [...tokens].join(' ') };
}

/** One row of the search index: a published voucher, where and when it was filed, and its document. */
export interface SearchEntry extends SearchDocument {
  voucherId: number;
  villageId: number;
  townId: number;
  month: string;
  date: string | null;
  updatedAt: Date;
}

export function searchEntry(voucher: SearchableVoucher & Pick<VoucherRecord, 'id' | 'villageId' | 'month' | 'date'>, townId: number, now: Date): SearchEntry {
  return { voucherId: voucher.id, villageId: voucher.villageId, townId, month: voucher.month, date: voucher.date, updatedAt: now, ...searchDocument(voucher) };
}
