import type { OcrLine } from '../../ocr/ocr-engine';
import type { FieldReading } from '../findings';
import { isInvoiceKind, type DocumentKind } from './document-kind';
import { below, findLabels, spaced, valuesAfter, type LabelHit } from './layout';
import { labelledPersonNames, ORGANISATION, PAYER } from './person-name';
import { scaledByLine } from './reading';
import { compact } from './text';

/** Where a value stops: the next label glued on by OCR, or a stamp's "(盖章)". */
const VALUE_END = /纳税人|识别号|地址|电话|开户行|账号|备注|复核|开票人|收款人|销售方|审批人|证明人|经手人|出纳|[(（]\s*(盖|签)?\s*章\s*[)）]?|盖章|发票专用章|[(（]\s*人\s*[)）]/;

/** Company names end like this; a value without such an ending may continue on the next line. */
const ORGANISATION_SUFFIX = '(公司|商行|经营部|店|厂|中心|商场|超市|门市部|合作社|工作室|酒店|宾馆)';
const ORGANISATION_END = new RegExp(`${ORGANISATION_SUFFIX}$`);
const ORGANISATION_PREFIX = new RegExp(`^.*${ORGANISATION_SUFFIX}`);

/** Column headers of invoice tables: read after a label on the same row, never a name. */
const TABLE_HEADERS = /^(数量|单价|金额|税率|税额|规格型号|单位|名称|备注|合计|摘要|金额合计)$/;

/** The organisation or shop name at the start of a value, cleaned; null if there is none. */
export function cleanName(value: string): string | null {
  const cut = compact(value).replace(/^[:：;；,，.。、()（）]+/, '').split(VALUE_END)[0];
  // Another field run into the name after the company's ending ("…有限公司订单号:9485").
  const company = ORGANISATION_PREFIX.exec(cut)?.[0];
  const glued = company !== undefined && /[^\p{Script=Han}]/u.test(cut.slice(company.length));
  const text = (glued ? company : cut).replace(/[:：;；,，.。、"“”'‘’]+$/, '');
  if (!/^[\p{Script=Han}A-Za-z0-9()（）·]{2,40}$/u.test(text) || /\d+[年月日]/.test(text)) return null;
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  if (han < 2 || han < text.length * 0.6 || TABLE_HEADERS.test(text)) return null;
  return text;
}

/** The first name-shaped value after the label, if `accept` takes it; a later value would belong to another label. */
function firstValue(lines: OcrLine[], hit: LabelHit, belowToo: boolean, accept: (name: string) => boolean): { name: string; line: OcrLine } | null {
  for (const span of valuesAfter(lines, hit, { below: belowToo, rows: 1.5 }).slice(0, 3)) {
    const name = cleanName(span.text);
    if (name) return accept(name) ? { name, line: span.line } : null;
  }
  return null;
}

const notPayer = (name: string) => !PAYER.test(name);
const centreY = (l: OcrLine) => l.box[1] + l.box[3] / 2;

/**
 * 代开 invoices (issued by the tax office for a small business) print the office's terminal as
 * 销售方 and the real seller in 备注 as "代开企业名称: …", often wrapped onto a second line.
 */
function issuedForName(lines: OcrLine[]): FieldReading<string> {
  for (const hit of findLabels(lines, spaced('代开企业名称'))) {
    const rest = compact(hit.line.text.slice(hit.end)).replace(/^[:：]/, '');
    const wrapped = [rest, ...below(lines, hit.line, 1.5).map((l) => rest + compact(l.text))];
    // Up to the last company ending: a stamp's edge may be read as one more character ("…有限公司公").
    const name = wrapped.map((w) => cleanName(ORGANISATION_PREFIX.exec(w)?.[0] ?? '')).find((n) => n !== null);
    if (name) return { value: name, confidence: scaledByLine(0.8, hit.line.confidence) };
  }
  return { value: null, confidence: 0 };
}

/**
 * On invoices the seller's 名称 is the lowest one (the buyer's is above it) or the right one when
 * side by side. On the classic layout the buyer's block is the upper left, above 价税合计.
 */
function sellerName(lines: OcrLine[], pageWidth: number): FieldReading<string> {
  const totalRow = findLabels(lines, spaced('价税合计'))[0]?.line;
  const isBuyerBlock = (l: OcrLine) => totalRow !== undefined && centreY(l) < totalRow.box[1] && l.box[0] < pageWidth / 2;
  // Not the goods column header (货物或应税劳务、服务名称, 项目名称).
  const hits = findLabels(lines, `(?<!服务|劳务|货物|项目|商品|品)${spaced('名称')}`)
    .filter((hit) => !isBuyerBlock(hit.line))
    .sort((a, b) => centreY(b.line) - centreY(a.line) || b.line.box[0] - a.line.box[0]);
  for (const hit of hits) {
    const value = firstValue(lines, hit, false, notPayer);
    if (value) return { value: value.name, confidence: scaledByLine(0.9, value.line.confidence) };
  }
  return { value: null, confidence: 0 };
}

/** Labels naming the receiving organisation, strongest first. */
const RECEIVER_LABELS: { source: string; confidence: number; below: boolean; anyName?: boolean }[] = [
  { source: `${spaced('收款单位')}(?!\\s*[(（]\\s*人)|${spaced('单位名称')}|${spaced('收款方')}|${spaced('开票单位')}`, confidence: 0.85, below: true },
  // Also names a person; persons are handled with the other person labels.
  { source: `${spaced('收款单位')}\\s*[(（]\\s*人\\s*[)）]`, confidence: 0.85, below: false },
  // Taxi tickets: "单位 金桥出租车", a short name without 公司; the voucher's own 单位 is the payer.
  { source: `(?<![收款开票名称用])${spaced('单位')}(?!\\s*名称)`, confidence: 0.6, below: false, anyName: true },
];

function receiverName(lines: OcrLine[]): FieldReading<string> {
  for (const { source, confidence, below, anyName } of RECEIVER_LABELS)
    for (const hit of findLabels(lines, source)) {
      const value = firstValue(lines, hit, below, (n) => notPayer(n) && (anyName || ORGANISATION.test(n)));
      if (value) return { value: value.name, confidence: scaledByLine(confidence, value.line.confidence) };
    }
  return { value: null, confidence: 0 };
}

/** An organisation named anywhere (a stamp, a heading) that is not the paying village. */
function anyOrganisation(lines: OcrLine[]): FieldReading<string> {
  for (const line of lines) {
    const name = cleanName(line.text);
    // At least "XX商行": a shorter one is a fragment of a stamp ("品店").
    if (!name || name.length < 4 || !notPayer(name) || !ORGANISATION_END.test(name)) continue;
    if (/税务|印制|监制|制$/.test(name)) continue;
    return { value: name, confidence: 0.4 };
  }
  return { value: null, confidence: 0 };
}

/**
 * Who was paid: the seller (销售方名称) on invoices, the 收款单位 on tickets and vouchers, the
 * person (收款人, 领款人) on receipts of payments to villagers. On invoices 收款人 is the
 * seller's clerk, so persons are only taken from receipts and vouchers.
 */
export function extractPayee(lines: OcrLine[], kind: DocumentKind, pageWidth: number): { reading: FieldReading<string>; checks: string[] } {
  const invoice = isInvoiceKind(kind);
  const readings: FieldReading<string>[] = [];
  if (invoice) readings.push(issuedForName(lines), sellerName(lines, pageWidth));
  readings.push(receiverName(lines));
  if (!invoice) {
    const person = labelledPersonNames(lines)[0];
    if (person) readings.push({ value: person.text, confidence: scaledByLine(person.confidence, person.line.confidence) });
  }
  readings.push(anyOrganisation(lines));
  const best = readings.find((r) => r.value !== null);
  if (!best) return { reading: { value: null, confidence: 0 }, checks: ['没有读到收款方，请人工填写'] };
  return { reading: { value: best.value, confidence: best.confidence }, checks: [] };
}
