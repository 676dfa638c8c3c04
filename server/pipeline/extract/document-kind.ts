import type { OcrLine } from '../../ocr/ocr-engine';
import { compact } from './text';

export type DocumentKind = 'vat_invoice' | 'quota_invoice' | 'taxi_ticket' | 'toll_ticket' | 'ticket' | 'invoice' | 'receipt' | 'expense_voucher' | 'unknown';

const INVOICE_KINDS: DocumentKind[] = ['vat_invoice', 'quota_invoice', 'taxi_ticket', 'toll_ticket', 'ticket', 'invoice'];

/** Tax-office documents carry 发票代码/号码 and their 收款人 is a clerk, not the person paid. */
export function isInvoiceKind(kind: DocumentKind): boolean {
  return INVOICE_KINDS.includes(kind);
}

/** What kind of document the page is, from its printed title and labels. */
export function detectKind(lines: OcrLine[]): DocumentKind {
  const text = compact(lines.map((l) => l.text).join('\n'));
  const invoiceLabels = /发票代码|发票号码|开票日期|发票联|发票专用章/.test(text);
  // The title alone is enough when OCR lost the labels.
  if (/增值税|普通发票/.test(text) || (/价税合计|税额/.test(text) && invoiceLabels)) return 'vat_invoice';
  if (/定额发票/.test(text)) return 'quota_invoice';
  if (/出租汽?车/.test(text) && /发票/.test(text)) return 'taxi_ticket';
  if (/通行费|收费公路/.test(text)) return 'toll_ticket';
  if (/客票|车票|火车票|船票/.test(text)) return 'ticket';
  if (invoiceLabels || /价税合计/.test(text)) return 'invoice';
  if (/收据|收条|领条|领款单|借条|欠条/.test(text)) return 'receipt';
  if (/凭证|报销单|报销|支出单|工资表|发放表|领取表/.test(text)) return 'expense_voucher';
  if (/发票/.test(text)) return 'invoice';
  return 'unknown';
}
