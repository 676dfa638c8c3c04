import type { Box, OcrLine, OcrResult } from '../ocr/ocr-engine';
import { isIdCard, looksLikeIdCard, luhnValid } from './extract/checksums';
import { detectKind, isInvoiceKind } from './extract/document-kind';
import { sameRow } from './extract/layout';
import { labelledPersonNames } from './extract/person-name';
import { clampBox, digitRuns, joinSpacedHan, subBox, toHalfWidth, type DigitRun } from './extract/text';
import type { SensitiveFinding, SensitiveType } from './findings';

/** What the rest of a number's row says about it. */
interface RowContext {
  idLabel: boolean;
  phoneLabel: boolean;
  cardLabel: boolean;
  /** A company's bank account on an invoice (开户行及账号): not personal data. */
  companyAccount: boolean;
  /** Beside a tax number, check code or invoice number: not personal data. */
  otherIdentifier: boolean;
}

/** Rows of other identifiers (tax numbers, check codes, machine numbers) hold no personal data. */
const OTHER_IDENTIFIERS = /校验码|识别号|机器编号|信用代码|税号|发票代码|发票号码/;
/** The cipher block of VAT invoices ("0333586<+-0>2<79879>…"). */
const CIPHER = /[<>*/+].*[<>*/+].*[<>*/+]/;

/**
 * What a number is. `groups` are the lengths of the digit groups it was written in: a bank card
 * is written whole or in fours ("6228 4818 …"), so odd groupings are not read as one.
 */
function classify(digits: string, fixed: boolean, ctx: RowContext, groups: number[] = [digits.length]): SensitiveType | null {
  const len = digits.length;
  if (len === 18 && isIdCard(digits)) return 'idcard';
  // A misread digit breaks the check character; beside an ID label the number is still someone's ID.
  if (len === 18 && !fixed && ctx.idLabel && looksLikeIdCard(digits)) return 'idcard';
  if (len === 11 && /^1[3-9]\d{9}$/.test(digits) && (!fixed || ctx.phoneLabel || ctx.idLabel)) return 'phone';
  const inFours = /^\d+$/.test(digits) && groups.slice(0, -1).every((g) => g === 4);
  if (inFours && len >= 16 && len <= 19 && !ctx.companyAccount && (luhnValid(digits) ? !fixed || ctx.cardLabel : ctx.cardLabel)) return 'bankcard';
  // Beside 卡号 a card number with digits lost to OCR is still covered.
  if (inFours && len >= 12 && len < 16 && ctx.cardLabel && !ctx.companyAccount) return 'bankcard';
  // Handwriting: OCR drops or doubles a digit; an ID-shaped number beside 身份证 is still covered.
  if (len >= 17 && len <= 19 && ctx.idLabel && looksLikeIdCard(digits)) return 'idcard';
  return null;
}

interface NumberHit {
  type: SensitiveType;
  start: number;
  end: number;
}

/** An ID number and a phone number written without a space between them read as one long run. */
function splitGlued(run: DigitRun, ctx: RowContext): NumberHit[] {
  const d = run.digits;
  if (d.length < 25 || run.fixed) return [];
  for (let i = 0; i + 18 <= d.length; i++) {
    if (!isIdCard(d.slice(i, i + 18))) continue;
    const hits: NumberHit[] = [{ type: 'idcard', start: run.start + i, end: run.start + i + 18 }];
    for (const [from, to] of [[0, i], [i + 18, d.length]]) {
      const rest = d.slice(from, to);
      // Beside an ID number, a mobile-shaped rest is the phone even if OCR lost or added digits.
      const type = /^1[3-9]\d{7,10}$/.test(rest) ? 'phone' : rest ? classify(rest, false, ctx) : null;
      if (type) hits.push({ type, start: run.start + from, end: run.start + to });
    }
    return hits;
  }
  return [];
}

/** Numbers of one line: digit groups separated by a space or hyphen are tried together first ("138 1234 5678"). */
function numbersIn(text: string, ctx: RowContext): NumberHit[] {
  const groups = digitRuns(text);
  const hits: NumberHit[] = [];
  let i = 0;
  while (i < groups.length) {
    let matched = false;
    for (let k = Math.min(4, groups.length - i); k >= 1 && !matched; k--) {
      const part = groups.slice(i, i + k);
      const adjacent = part.every((g, j) => j === 0 || (g.start - part[j - 1].end === 1 && /[ -]/.test(text[part[j - 1].end])));
      if (!adjacent) continue;
      const type = classify(part.map((g) => g.digits).join(''), part.some((g) => g.fixed), ctx, part.map((g) => g.digits.length));
      if (type) {
        hits.push({ type, start: part[0].start, end: part[k - 1].end });
        i += k;
        matched = true;
      }
    }
    if (!matched) hits.push(...splitGlued(groups[i++], ctx));
  }
  return hits;
}

function rowContext(line: OcrLine, lines: OcrLine[], invoice: boolean): RowContext {
  const row = lines.filter((o) => o === line || sameRow(line, o) || sameRow(o, line));
  const text = toHalfWidth(row.map((l) => l.text).join(' '));
  return {
    idLabel: /身份证|证件号|身份号|公民身份/.test(text),
    phoneLabel: /电话|手机|联系|Tel|TEL/.test(text),
    cardLabel: /卡号|银行卡|账号|帐号|银行|卡:/.test(text),
    // On an invoice any bank number is a company's account (开户行及账号) unless it says 卡号.
    companyAccount: invoice && !/卡号|银行卡/.test(text),
    otherIdentifier: OTHER_IDENTIFIERS.test(text.replace(/\s/g, '')),
  };
}

/** Every place a name occurs, in any line (a receipt repeats the payee in 事由 and beside 收款人). */
function nameOccurrences(lines: OcrLine[], names: Set<string>): { line: OcrLine; start: number; end: number; text: string }[] {
  const found = [];
  for (const line of lines) {
    const { text, index } = joinSpacedHan(toHalfWidth(line.text));
    for (const name of names)
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length))
        found.push({ line, start: index[at], end: index[at + name.length - 1] + 1, text: name });
  }
  return found;
}

function overlapRatio(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a[2] * a[3], b[2] * b[3]);
}

/**
 * Personal data to redact before publication: ID card, mobile and bank card numbers anywhere,
 * and the names of private persons paid on receipts and vouchers (every occurrence). Boxes are
 * in the OCR image's pixels, estimated per character when the match is part of a line.
 */
export function detectSensitive(ocr: OcrResult): SensitiveFinding[] {
  const lines = ocr.lines.filter((l) => l.text.trim() !== '');
  const invoice = isInvoiceKind(detectKind(lines));
  const findings: SensitiveFinding[] = [];
  const add = (type: SensitiveType, line: OcrLine, start: number, end: number) => {
    const box = clampBox(subBox(line.text, line.box, start, end), ocr.width, ocr.height);
    const text = toHalfWidth(line.text).slice(start, end);
    if (!findings.some((f) => f.type === type && overlapRatio(f.box, box) > 0.8)) findings.push({ type, text, box });
  };

  for (const line of lines) {
    const text = toHalfWidth(line.text);
    if (CIPHER.test(text) || !/\d/.test(text)) continue;
    const ctx = rowContext(line, lines, invoice);
    if (ctx.otherIdentifier) continue;
    for (const hit of numbersIn(text, ctx)) add(hit.type, line, hit.start, hit.end);
  }

  // On invoices the names beside 收款人/复核/开票人 are the seller's staff, not private payees.
  if (!invoice) {
    const names = new Set(labelledPersonNames(lines).map((n) => n.text));
    for (const hit of nameOccurrences(lines, names)) add('name', hit.line, hit.start, hit.end);
  }
  return findings;
}
