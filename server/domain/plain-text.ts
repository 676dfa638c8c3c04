import type { VoucherFields } from '../../shared/schemas/vouchers';
import { invalid } from '../errors';

/**
 * Characters a voucher's text may not hold, though the schema's lengths allow them: control
 * characters (NUL, ESC sequences, DEL, C1; a description may keep line breaks and tabs, it is
 * written in a text area), direction overrides that make the public text read otherwise than
 * it is stored (`\u202E`), line separators, and halves of a character (lone surrogates, which
 * the databases would silently store as "�"). Markup such as `<script>` is allowed: it is
 * text, stored as sent and always shown as text.
 */
const SINGLE_LINE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const MULTI_LINE = /[^\P{Cc}\t\n\r]|[\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const LABELS = { payee: '收款方', description: '说明' } as const;

/** Refuses (422, naming the field) payee or description text holding characters it may not. */
export function assertPlainTextFields(fields: Partial<VoucherFields> | undefined): void {
  for (const key of ['payee', 'description'] as const) {
    const value = fields?.[key];
    if (typeof value !== 'string') continue;
    if ((key === 'payee' ? SINGLE_LINE : MULTI_LINE).test(value))
      throw invalid(`fields.${key}`, `${LABELS[key]}里有不能用的字符（看不见的控制字符或残缺的字），请删掉后再保存`);
  }
}
