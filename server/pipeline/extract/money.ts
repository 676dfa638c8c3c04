import { parseYuanToFen } from '../../../shared/money';

export interface MoneyToken {
  fen: number;
  /** Character range in the searched text, including the currency sign. */
  start: number;
  end: number;
  /** Written with ¥ (or a character OCR reads for it). */
  yuanSign: boolean;
  /** Written with 元 after it. */
  yuanSuffix: boolean;
  /** Has a decimal part ("12.50"). */
  decimals: boolean;
}

// ¥ is read as Y, V, y or 羊 by OCR; a thousands comma may come back as a dot ("1.900.00"),
// a decimal point as a middle dot or comma ("840·00", "840,00").
const SIGN = '[¥Y￥Vy羊半]';
const THOUSANDS = String.raw`\d{1,3}(?:[,，.]\d{3})+(?!\d)(?:\s?[.·。,，]\s?\d{1,2}(?!\d))?`;
const PLAIN = String.raw`\d+(?:\s?[.·。,，]\s?\d{1,2}(?!\d))?`;
// Not glued to letters on either side: "91341100MA1F" is a tax number, "5.1km" a distance.
const TOKEN = new RegExp(String.raw`(?<![\dA-Za-z.])(${SIGN}\s*)?(${THOUSANDS}|${PLAIN})(?![\dA-Za-z])(\s*元)?`, 'g');

/** "1,900.00" / "1.900.00" / "840·00" / "38 .00" → fen; the last separator followed by 1–2 digits is the decimal point. */
export function moneyToFen(raw: string): number | null {
  const text = raw.replace(/\s/g, '');
  const decimal = /[.·。,，](\d{1,2})$/.exec(text);
  const grouped = decimal ? text.slice(0, decimal.index) : text;
  if (!/^(?:\d+|\d{1,3}(?:[,，.]\d{3})+)$/.test(grouped)) return null;
  const whole = grouped.replace(/[,，.]/g, '');
  if (whole.length > 12) return null;
  return parseYuanToFen(decimal ? `${whole}.${decimal[1]}` : whole);
}

/** Every number in the text that could be a sum of money (with its markers, so callers can weigh it). */
export function findMoney(text: string): MoneyToken[] {
  const tokens: MoneyToken[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const fen = moneyToFen(m[2]);
    if (fen === null) continue;
    const decimals = /[.·。,，]\s?\d{1,2}$/.test(m[2]);
    const sign = m[1]?.trim();
    // Only ¥ and ￥ are certain; a letter read for ¥ counts when the number looks like money.
    const yuanSign = sign === '¥' || sign === '￥' || (Boolean(sign) && decimals);
    tokens.push({ fen, start: m.index!, end: m.index! + m[0].length, yuanSign, yuanSuffix: Boolean(m[3]), decimals });
  }
  return tokens;
}
