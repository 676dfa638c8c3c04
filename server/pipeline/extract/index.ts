import type { OcrResult } from '../../ocr/ocr-engine';
import { FIELD_CONFIDENCE_FLOOR, type ExtractedFields, type FieldReading } from '../findings';
import { extractAmount } from './amount';
import { guessCategory } from './category';
import { extractDate } from './date';
import { detectKind, isInvoiceKind } from './document-kind';
import { countInvoiceIds, extractInvoiceIds } from './invoice-ids';
import { extractPayee } from './payee';

const NONE: FieldReading<never> = { value: null, confidence: 0 };


const UNSURE: [keyof Omit<ExtractedFields, 'checks' | 'category'>, string][] = [
  ['amountFen', '金额读得不太确定，请核对'],
  ['date', '日期读得不太确定，请核对'],
  ['invoiceCode', '发票代码读得不太确定，请核对'],
  ['invoiceNumber', '发票号码读得不太确定，请核对'],
  ['payee', '收款方读得不太确定，请核对'],
];

/** Reads the voucher's fields from OCR lines; `checks` says in plain words what a person should look at. */
export function extractFields(ocr: OcrResult): ExtractedFields {
  const lines = ocr.lines.filter((l) => l.text.trim() !== '');
  const kind = detectKind(lines);
  const category = guessCategory(lines, kind);
  // A sheet with several tickets pasted on it has no single amount or date.
  if (countInvoiceIds(lines) >= 3)
    return {
      amountFen: NONE, date: NONE, invoiceCode: NONE, invoiceNumber: NONE, payee: NONE, category,
      checks: ['图中似乎有好几张票据，请一张一张分开拍照上传'],
    };

  const amount = extractAmount(lines);
  const date = extractDate(lines);
  const ids = extractInvoiceIds(lines, isInvoiceKind(kind));
  const payee = extractPayee(lines, kind, ocr.width);
  const fields: ExtractedFields = { amountFen: amount.reading, date: date.reading, ...ids, payee: payee.reading, category, checks: [] };
  const specific: Partial<Record<(typeof UNSURE)[number][0], string[]>> = { amountFen: amount.checks, date: date.checks, payee: payee.checks };
  if (isInvoiceKind(kind) && !ids.invoiceNumber.value) specific.invoiceNumber = ['这是发票，但没有读到发票号码，请核对'];
  // One reason per field: a field with a specific reason is not also reported as "unsure".
  for (const [key, unsure] of UNSURE) {
    const reasons = specific[key] ?? [];
    if (!reasons.length && fields[key].value !== null && fields[key].confidence < FIELD_CONFIDENCE_FLOOR) reasons.push(unsure);
    fields.checks.push(...reasons);
  }
  return fields;
}
