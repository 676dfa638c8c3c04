/** Money is an integer count of fen (分). These helpers convert for display only. */

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** 123456 → "1234.56"; negative amounts keep their sign. */
export function fenToYuanString(fen: number): string {
  if (!isFen(fen)) throw new TypeError(`not an integer count of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}${yuan}.${String(rest).padStart(2, '0')}`;
}

/** "1,234.56" / "¥12.3" / "12" → fen, or null when the text is not an amount. Never goes through floats. */
export function parseYuanToFen(text: string): number | null {
  const cleaned = text.replace(/[¥￥,，\s元]/g, '');
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const [, sign, whole, frac = ''] = match;
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return sign ? -fen : fen;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** Renders 4 digits (0–9999) in capital numerals, with zeros collapsed the way cheques write them. */
function groupToCapital(group: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const digit = Math.floor(group / 10 ** pos) % 10;
    if (digit === 0) {
      if (out) pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[digit] + SMALL_UNITS[pos];
  }
  return out;
}

/** 1234.50 元 → "壹仟贰佰叁拾肆元伍角"; whole amounts end with "整", as on Chinese financial documents. */
export function fenToCapitalYuan(fen: number): string {
  if (!isFen(fen)) throw new TypeError(`not an integer count of fen: ${fen}`);
  if (fen < 0) return '负' + fenToCapitalYuan(-fen);
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;

  let yuanText = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10000)) groups.push(rest % 10000);
    let needZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const group = groups[i];
      if (group === 0) {
        needZero = yuanText !== '';
        continue;
      }
      if (yuanText && (needZero || group < 1000)) yuanText += '零';
      yuanText += groupToCapital(group) + BIG_UNITS[i];
      needZero = false;
    }
    yuanText += '元';
  }

  if (jiao === 0 && fenDigit === 0) return (yuanText || '零元') + '整';
  let tail = '';
  if (jiao > 0) tail += DIGITS[jiao] + '角';
  else if (yuan > 0) tail += '零';
  if (fenDigit > 0) tail += DIGITS[fenDigit] + '分';
  return yuanText + tail;
}
