/**
 * Chinese capital amounts (大写金额) as written on invoices, receipts and vouchers:
 * "⊗贰仟捌佰零玖圆整", "壹仟零柒拾陆元玖角整", "叁拾伍元整". Plain numerals (一二三) are accepted
 * too because OCR sometimes returns them for handwritten capitals.
 */

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 壹: 1, 一: 1, 贰: 2, 貳: 2, 弍: 2, 二: 2, 两: 2, 叁: 3, 參: 3, 叄: 3, 参: 3, 三: 3,
  肆: 4, 四: 4, 伍: 5, 五: 5, 陆: 6, 陸: 6, 六: 6, 柒: 7, 七: 7, 捌: 8, 八: 8, 玖: 9, 九: 9,
};
const SMALL_UNITS: Record<string, number> = { 拾: 10, 十: 10, 佰: 100, 百: 100, 仟: 1000, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 10_000, 萬: 10_000, 亿: 100_000_000, 億: 100_000_000 };
const YUAN = '元圆圓园';
const END = '整正';

const ALL_CHARS = Object.keys(DIGITS).join('') + Object.keys(SMALL_UNITS).join('') + Object.keys(BIG_UNITS).join('') + YUAN + '角分' + END;
/** Characters only used in formal amounts: a run without any of them is ordinary text ("第二联"). */
const FORMAL = /[壹贰貳弍叁參叄肆伍陆陸柒捌玖拾佰仟]/;
/** A run of capital-amount characters; OCR may put spaces between handwritten characters. */
const RUN = new RegExp(`[${ALL_CHARS}](?:[${ALL_CHARS} ]*[${ALL_CHARS}])?`, 'g');

/** "贰仟捌佰零玖圆整" → 280900 fen; null when the text is not a well-formed capital amount. */
export function parseCapitalAmount(input: string): number | null {
  const text = input.replace(/[\s⊗ⓧ×Ⓧ✕]/g, '');
  let yuanAcc = 0; // whole 万/亿 groups already closed
  let section = 0; // below 万
  let digit: number | null = null;
  let lastSmall = Infinity;
  let yuan: number | null = null;
  let jiao = 0;
  let fen = 0;
  let stage: 'yuan' | 'jiao' | 'fen' | 'done' = 'yuan';
  let sawAny = false;

  for (const ch of text) {
    if (stage === 'done') break;
    if (ch in DIGITS) {
      const d = DIGITS[ch];
      if (d === 0) continue; // 零 only marks skipped places
      if (digit !== null) return null; // two digits without a unit between them
      digit = d;
      sawAny = true;
    } else if (ch in SMALL_UNITS) {
      const unit = SMALL_UNITS[ch];
      if (stage !== 'yuan' || unit >= lastSmall) return null;
      // A leading 拾 means 壹拾 ("拾伍元" = 15).
      const n = digit ?? (unit === 10 && section === 0 ? 1 : null);
      if (n === null) return null;
      section += n * unit;
      lastSmall = unit;
      digit = null;
      sawAny = true;
    } else if (ch in BIG_UNITS) {
      if (stage !== 'yuan' || (section === 0 && digit === null)) return null;
      const big = BIG_UNITS[ch];
      if (big === 100_000_000) yuanAcc = (yuanAcc + section + (digit ?? 0)) * big;
      else yuanAcc += (section + (digit ?? 0)) * big;
      section = 0;
      digit = null;
      lastSmall = Infinity;
    } else if (YUAN.includes(ch)) {
      if (stage !== 'yuan') return null;
      yuan = yuanAcc + section + (digit ?? 0);
      [yuanAcc, section, digit] = [0, 0, null];
      stage = 'jiao';
    } else if (ch === '角') {
      if ((stage !== 'yuan' && stage !== 'jiao') || digit === null || section !== 0 || yuanAcc !== 0) return null;
      jiao = digit;
      digit = null;
      stage = 'fen';
    } else if (ch === '分') {
      if (digit === null || (stage === 'yuan' && (section !== 0 || yuanAcc !== 0))) return null;
      fen = digit;
      digit = null;
      stage = 'done';
    } else if (END.includes(ch)) {
      if (digit !== null) return null;
      stage = 'done';
    } else if (sawAny) {
      break;
    }
  }
  if (!sawAny || digit !== null) return null;
  // Without 元/角/分 the unit is unknown ("贰拾" alone) unless the amount ended with 整.
  if (yuan === null && jiao === 0 && fen === 0) return stage === 'done' ? yuanAcc + section : null;
  const total = (yuan ?? 0) * 100 + jiao * 10 + fen;
  return Number.isSafeInteger(total) ? total : null;
}

export interface CapitalMatch {
  fen: number;
  /** Character range in the searched text. */
  start: number;
  end: number;
}

/** Capital amounts inside a longer text ("人民币(大写) 捌佰肆拾圆整 ¥840.00"). */
export function findCapitalAmounts(text: string): CapitalMatch[] {
  const found: CapitalMatch[] = [];
  for (const m of text.matchAll(RUN)) {
    if (!FORMAL.test(m[0])) continue;
    if (!/[元圆圓园角分整正]/.test(m[0])) continue;
    const fen = parseCapitalAmount(m[0]);
    if (fen !== null && fen > 0) found.push({ fen, start: m.index!, end: m.index! + m[0].length });
  }
  return found;
}
