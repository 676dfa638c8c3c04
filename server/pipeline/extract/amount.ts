import type { OcrLine } from '../../ocr/ocr-engine';
import type { FieldReading } from '../findings';
import { findCapitalAmounts } from './capital-amount';
import { findLabels, rightOf, spaced, valuesAfter } from './layout';
import { findMoney, type MoneyToken } from './money';
import { scaledByLine } from './reading';
import { toHalfWidth } from './text';

interface Candidate {
  fen: number;
  score: number;
  labelled: boolean;
  lineConfidence: number;
}

/** Labels whose value is the total, strongest first (score added to the number found after them). */
const TOTAL_LABELS: { source: string; score: number }[] = [
  { source: '小\\s*写', score: 5 },
  { source: spaced('价税合计'), score: 4 },
  { source: `${spaced('合计')}|${spaced('总计')}|${spaced('总金额')}|${spaced('实收金额')}`, score: 3 },
  { source: `${spaced('金额')}|${spaced('票价')}|${spaced('车费')}|${spaced('实收')}|${spaced('应收')}`, score: 3 },
];

function tokensOf(line: OcrLine): MoneyToken[] {
  return findMoney(toHalfWidth(line.text)).filter((t) => t.fen > 0);
}

/** Capital amounts in single lines and in neighbouring lines of one row (OCR may split them). */
function capitalAmounts(lines: OcrLine[]): Set<number> {
  const found = new Set<number>();
  for (const line of lines) {
    const text = toHalfWidth(line.text);
    for (const m of findCapitalAmounts(text)) found.add(m.fen);
    const next = rightOf(lines, line)[0];
    if (next) for (const m of findCapitalAmounts(text + toHalfWidth(next.text))) found.add(m.fen);
  }
  return found;
}

/** Is `fen` the sum of two other amounts (金额 + 税额 on VAT invoices) or of all the others (voucher rows)? */
function isSumOfOthers(fen: number, amounts: number[]): boolean {
  const others = amounts.filter((a) => a < fen);
  const count = new Map<number, number>();
  for (const a of others) count.set(a, (count.get(a) ?? 0) + 1);
  if (others.some((a) => (fen - a === a ? count.get(a)! > 1 : count.has(fen - a)))) return true;
  // Rows of a voucher; a unit price equal to its line amount may be counted twice, so try both.
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return others.length >= 2 && (sum(others) === fen || sum([...count.keys()]) === fen);
}

export interface AmountReading {
  reading: FieldReading<number>;
  checks: string[];
}

/**
 * The total paid. Numbers after total labels (小写, 合计, 金额…) and numbers written with ¥ are
 * candidates; one that equals the capital amount (大写) or the sum of other amounts on the
 * page (金额 + 税额) is trusted most.
 */
export function extractAmount(lines: OcrLine[]): AmountReading {
  const candidates = new Map<number, Candidate>();
  const add = (fen: number, score: number, labelled: boolean, line: OcrLine) => {
    const c = candidates.get(fen) ?? { fen, score: 0, labelled: false, lineConfidence: 0 };
    c.score = Math.max(c.score, score);
    c.labelled ||= labelled;
    c.lineConfidence = Math.max(c.lineConfidence, line.confidence);
    candidates.set(fen, c);
  };

  const allTokens: number[] = [];
  const signed: number[] = [];
  for (const line of lines)
    for (const t of tokensOf(line)) {
      if (t.yuanSign) {
        add(t.fen, 2, false, line);
        signed.push(t.fen);
      } else if (t.yuanSuffix || t.decimals) add(t.fen, 1, false, line);
      if (t.yuanSign || t.decimals || t.yuanSuffix) allTokens.push(t.fen);
    }

  for (const { source, score } of TOTAL_LABELS)
    for (const hit of findLabels(lines, source)) {
      // The first money-like number after the label; a bare integer counts only right after it.
      for (const span of valuesAfter(lines, hit)) {
        const tokens = findMoney(span.text).filter((t) => t.fen > 0 && !/[%*]/.test(span.text.slice(t.end, t.end + 1)));
        const money = tokens.find((t) => t.yuanSign || t.decimals || t.yuanSuffix) ?? (span.line === hit.line ? tokens[0] : undefined);
        if (money) {
          add(money.fen, score + (money.yuanSign || money.decimals ? 0.5 : 0), true, span.line);
          break;
        }
      }
    }

  const capitals = capitalAmounts(lines);
  const maxSigned = signed.length ? Math.max(...signed) : null;
  let best: (Candidate & { capital: boolean; sum: boolean }) | null = null;
  for (const c of candidates.values()) {
    const capital = capitals.has(c.fen);
    const sum = isSumOfOthers(c.fen, allTokens);
    const score = c.score + (capital ? 6 : 0) + (sum ? 3 : 0) + (c.fen === maxSigned ? 1 : 0);
    if (!best || score > best.score || (score === best.score && c.fen > best.fen)) best = { ...c, score, capital, sum };
  }

  const checks: string[] = [];
  if (!best) {
    if (capitals.size === 1) {
      const [fen] = capitals;
      return { reading: { value: fen, confidence: 0.7 }, checks: ['只读到了大写金额，请核对小写金额'] };
    }
    return { reading: { value: null, confidence: 0 }, checks: ['没有读到金额，请人工填写'] };
  }
  let confidence = best.capital ? 0.97 : best.sum ? 0.9 : best.labelled ? 0.75 : 0.55;
  if (!best.capital && capitals.size > 0) {
    confidence = Math.min(confidence, 0.45);
    checks.push('小写金额与大写金额不一致，请核对');
  }
  return { reading: { value: best.fen, confidence: scaledByLine(confidence, best.lineConfidence) }, checks };
}
