import { fenToYuanString } from '../../shared/money';
import type { PublicVoucher, PublishedMonth } from '../../shared/schemas/public';

/**
 * A published month as open data: one CSV row per receipt, as Excel in China opens it
 * (UTF-8 with BOM, CRLF) and any RFC 4180 reader parses it.
 */

export const CSV_HEADER = ['编号', '日期', '收款方', '说明', '类别', '金额（元）', '发票代码', '发票号码', '状态', '撤回原因'] as const;

const BOM = '\uFEFF';
const STATUS_TEXT: Record<PublicVoucher['status'], string> = { valid: '有效', withdrawn: '已撤回' };

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab/CR that hides one) as a formula;
 * a leading apostrophe makes them show it as text. Only for free text, never for amounts.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

const text = (value: string | null) => guardFormula(value ?? '');
const amount = (fen: number | null) => (fen === null ? '' : fenToYuanString(fen));

function voucherRow(v: PublicVoucher): string[] {
  return [
    String(v.id),
    text(v.date),
    text(v.payee),
    text(v.description),
    text(v.category),
    amount(v.amountFen),
    text(v.invoiceCode),
    text(v.invoiceNumber),
    STATUS_TEXT[v.status],
    text(v.status === 'withdrawn' ? v.withdrawnReason : null),
  ];
}

/** Every row has as many fields as the header (RFC 4180), so trailing cells are blank. */
function padded(cells: string[]): string[] {
  return [...cells, ...Array(CSV_HEADER.length - cells.length).fill('')];
}

/** The month's CSV bytes: header, the receipts in the published order, the total, the digest. */
export function renderMonthCsv(month: PublishedMonth): Buffer {
  const amountColumn = CSV_HEADER.indexOf('金额（元）');
  const total = padded([]);
  total[0] = '合计';
  total[3] = `有效票据 ${month.count} 张，不含已撤回`;
  total[amountColumn] = fenToYuanString(month.totalFen);
  const lines = [
    csvLine(CSV_HEADER),
    ...month.vouchers.map((v) => csvLine(voucherRow(v))),
    csvLine(total),
    csvLine(padded(['数据摘要（sha256）', month.digest])),
  ];
  return Buffer.from(BOM + lines.join(''), 'utf8');
}

/** `甲一村-2026-10.csv`; characters file systems refuse become "_". */
export function monthCsvFilename(month: Pick<PublishedMonth, 'village' | 'month'>): string {
  return `${safeFileNamePart(month.village.name)}-${month.month}.csv`;
}

export function safeFileNamePart(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').trim() || 'village';
}
