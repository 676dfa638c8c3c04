/**
 * Characters a voucher's text may not hold, though its length allows them: control characters
 * (NUL, ESC sequences, DEL, C1; a multi-line text may keep line breaks and tabs), direction
 * overrides that make the public text read otherwise than it is stored (`\u202E`), line
 * separators, and halves of a character (lone surrogates, which the databases would silently
 * store as "�"). Markup such as `<script>` is allowed: it is text, stored as sent and always
 * shown as text.
 */
const SINGLE_LINE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const MULTI_LINE = /[^\P{Cc}\t\n\r]|[\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

export function isPlainText(text: string, multiline: boolean): boolean {
  return !(multiline ? MULTI_LINE : SINGLE_LINE).test(text);
}

/** The refusal, naming the field in words ("收款方"). */
export function notPlainTextMessage(label: string): string {
  return `${label}里有不能用的字符（看不见的控制字符或残缺的字），请删掉后再保存`;
}
