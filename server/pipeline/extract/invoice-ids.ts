import type { OcrLine } from '../../ocr/ocr-engine';
import type { FieldReading } from '../findings';
import { below, findLabels, rightOf, spaced, valuesAfter } from './layout';
import { scaledByLine } from './reading';
import { digitRuns, toHalfWidth } from './text';

interface IdSpec {
  /** Label patterns with how sure a value found after each is. */
  labels: { source: string; confidence: number }[];
  lengths: number[];
}

const CODE: IdSpec = {
  labels: [
    { source: spaced('发票代码'), confidence: 0.97 },
    // Small tickets print the label on two lines ("发票" above "代码").
    { source: `(?<!税务|机器)${spaced('代码')}`, confidence: 0.85 },
  ],
  lengths: [12, 10],
};

const NUMBER: IdSpec = {
  labels: [
    { source: spaced('发票号码'), confidence: 0.97 },
    { source: `(?<!识别|电话|账|证件|身份证)${spaced('号码')}`, confidence: 0.85 },
    // "№ 95941563" / "No.12345678" in the corner of paper invoices.
    { source: '(?:№|N[oO0oe]\\s*[.:]?)', confidence: 0.8 },
  ],
  // 20 digits: fully digital invoices (全电发票) have one long number and no code.
  lengths: [8, 20],
};

/** Lines whose numbers are some other identifier, never the invoice code or number. */
const OTHER_NUMBERS = /机器编号|识别号|校验码|账号|电话|证号|车号|身份证|卡号|税号|地址/;

interface IdReading {
  value: string;
  confidence: number;
}

/** Every value found after the spec's labels, with how sure each is. */
function idsAfterLabels(lines: OcrLine[], spec: IdSpec): IdReading[] {
  const found: IdReading[] = [];
  for (const { source, confidence } of spec.labels)
    for (const hit of findLabels(lines, source)) {
      for (const span of valuesAfter(lines, hit, { below: true, rows: 1.2 })) {
        if (span.line !== hit.line && OTHER_NUMBERS.test(toHalfWidth(span.line.text))) continue;
        const runs = digitRuns(span.text, true);
        const run = runs.find((r) => spec.lengths.includes(r.digits.length));
        // A number of the wrong length (e.g. glued to the code) may be repeated, readable, just below.
        if (!run) continue;
        found.push({ value: run.digits, confidence: scaledByLine(confidence * (run.fixed ? 0.8 : 1), span.line.confidence) });
        break;
      }
    }
  return found;
}

function best(readings: IdReading[]): FieldReading<string> {
  return readings.reduce<FieldReading<string>>((a, b) => (b.confidence > a.confidence ? b : a), { value: null, confidence: 0 });
}

/** How many different codes or numbers the page shows (one invoice has one of each). */
export function countInvoiceIds(lines: OcrLine[]): number {
  return Math.max(...[CODE, NUMBER].map((spec) => new Set(idsAfterLabels(lines, spec).map((r) => r.value)).size));
}

/**
 * Without a readable label: a lone 10- or 12-digit number on an invoice, unsure, a bit surer when
 * printed twice (paper VAT invoices repeat the code in two corners).
 */
function codeWithoutLabel(lines: OcrLine[]): FieldReading<string> {
  const seen = new Map<string, number>();
  for (const line of lines) {
    const row = [line, ...rightOf(lines, line)].map((l) => toHalfWidth(l.text)).join(' ');
    const left = lines.some((o) => o !== line && OTHER_NUMBERS.test(o.text) && rightOf(lines, o).includes(line));
    if (OTHER_NUMBERS.test(row) || left) continue;
    for (const run of digitRuns(toHalfWidth(line.text)))
      if (CODE.lengths.includes(run.digits.length) && !run.fixed) seen.set(run.digits, (seen.get(run.digits) ?? 0) + 1);
  }
  const [value, count] = [...seen.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return value ? { value, confidence: count! > 1 ? 0.7 : 0.5 } : { value: null, confidence: 0 };
}

/** Without a readable label: the invoice number is printed right beside or just below the code. */
function numberNearCode(lines: OcrLine[], code: string): FieldReading<string> {
  const codeLine = lines.find((l) => digitRuns(toHalfWidth(l.text)).some((r) => r.digits === code));
  if (!codeLine) return { value: null, confidence: 0 };
  for (const line of [...rightOf(lines, codeLine), ...below(lines, codeLine, 1.5)]) {
    const text = toHalfWidth(line.text);
    const run = OTHER_NUMBERS.test(text) ? undefined : digitRuns(text).find((r) => r.digits.length === 8 && !r.fixed);
    if (run) return { value: run.digits, confidence: 0.5 };
  }
  return { value: null, confidence: 0 };
}

export interface InvoiceIds {
  invoiceCode: FieldReading<string>;
  invoiceNumber: FieldReading<string>;
}

/** 发票代码 and 发票号码. Only invoices have them: receipts' serial numbers ("NO.9917103") are not invoice numbers. */
export function extractInvoiceIds(lines: OcrLine[], isInvoice: boolean): InvoiceIds {
  const none = { value: null, confidence: isInvoice ? 0 : 0.9 };
  if (!isInvoice) return { invoiceCode: none, invoiceNumber: none };
  let invoiceCode = best(idsAfterLabels(lines, CODE));
  if (!invoiceCode.value) invoiceCode = codeWithoutLabel(lines);
  let invoiceNumber = best(idsAfterLabels(lines, NUMBER));
  if (!invoiceNumber.value && invoiceCode.value) invoiceNumber = numberNearCode(lines, invoiceCode.value);
  // The code printed in the number's place would be a misread.
  if (invoiceNumber.value && invoiceNumber.value === invoiceCode.value) invoiceNumber = { value: null, confidence: 0 };
  return { invoiceCode, invoiceNumber };
}
