import type { Category } from '../../shared/categories';
import { idCardCheckChar } from '../pipeline/extract/checksums';
import { CLERKS, SELLERS, WORKERS, type ReceiptLayout, type Seller } from './receipt-catalogue';
import { SeededRandom } from './seeded-random';

export interface ReceiptItem {
  name: string;
  unit: string;
  quantity: number;
  unitPriceFen: number;
  /** quantity × unit price; before tax on invoices. */
  amountFen: number;
  /** Invoices: this line's VAT. */
  taxFen: number;
}

/** Everything printed or written on one demo receipt; the voucher's facts are taken from it. */
export interface DemoReceipt {
  layout: ReceiptLayout;
  /** The No. printed on receipts and 领款单. */
  serial: string;
  /** 新街村村民委员会. */
  payer: string;
  /** The committee's 统一社会信用代码, on invoices. */
  payerTaxId: string;
  payee: string;
  sellerTaxId: string;
  category: Category;
  description: string;
  items: ReceiptItem[];
  /** Invoices: VAT in percent (0: 免税); 金额 plus 税额 is `amountFen`. */
  taxRate: number | null;
  taxFen: number;
  amountFen: number;
  /** YYYY-MM-DD */
  date: string;
  invoiceCode: string | null;
  invoiceNumber: string | null;
  /** 校验码 of an invoice, 20 digits. */
  checkCode: string | null;
  /** 经手人: the village's accountant. */
  handledBy: string;
  /** 收款人 / 开票人 at the seller. */
  clerk: string;
  /** A private mobile number printed on the receipt: redacted in public copies. */
  phone: string | null;
  /** The person paid on a 领款单, with their ID card number: both redacted in public copies. */
  worker: { name: string; idNumber: string } | null;
  /** Like a phone camera's file name. */
  fileName: string;
}

export interface MonthPlan {
  seed: string;
  townName: string;
  villageName: string;
  accountant: string;
  /** YYYY-MM */
  month: string;
  count: number;
  /** Receipts are dated from the 1st to this day: the month's last day, or today in the current month. */
  lastDay: number;
}

const MOBILE_PREFIXES = ['138', '139', '158', '159', '137', '180', '187', '188', '135', '152'];
/** Counties' region codes for made-up ID card numbers. */
const REGIONS = ['341125', '341126', '341122', '341124'];
/** Every month: the electricity bill and the road sweepers. */
const MONTHLY = ['国网县供电公司', '村道保洁员'];

const pad2 = (n: number) => String(n).padStart(2, '0');

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function mobile(rng: SeededRandom): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

function idNumber(rng: SeededRandom): string {
  const first17 = `${rng.pick(REGIONS)}${rng.int(1955, 1990)}${pad2(rng.int(1, 12))}${pad2(rng.int(1, 28))}${rng.digits(3)}`;
  return first17 + idCardCheckChar(first17);
}

/** A 统一社会信用代码: `54` for a village committee, `92` for a sole trader, `91` for a company. */
function creditCode(rng: SeededRandom, kind: '54' | '91' | '92'): string {
  const letters = 'ABCDEFGHJKLMNPQRTUWXY0123456789';
  let code = `${kind}${rng.pick(REGIONS)}M`;
  while (code.length < 17) code += rng.pick([...letters]);
  return code + rng.pick([...letters]);
}

function itemsFor(seller: Seller, taxRate: number, rng: SeededRandom): ReceiptItem[] {
  const count = rng.int(1, Math.min(seller.maxItems ?? 1, seller.items.length));
  return rng.sample(seller.items, count).map((spec) => {
    const quantity = rng.int(...spec.quantity);
    // Prices end in whole jiao, as people price things.
    const unitPriceFen = spec.unitPriceFen[1] < 100 ? rng.int(...spec.unitPriceFen) : Math.round(rng.int(...spec.unitPriceFen) / 10) * 10;
    const amountFen = quantity * unitPriceFen;
    return { name: spec.name, unit: spec.unit, quantity, unitPriceFen, amountFen, taxFen: Math.round((amountFen * taxRate) / 100) };
  });
}

/**
 * A village's receipts for one month, the same for the same seed: the electricity bill and the
 * sweepers every month, then sellers picked at random (new categories first), each receipt
 * dated inside the month.
 */
export function planMonthReceipts(plan: MonthPlan, usedInvoiceNumbers = new Set<string>()): DemoReceipt[] {
  const rng = new SeededRandom(`${plan.seed}/${plan.townName}/${plan.villageName}/${plan.month}`);
  const m = Number(plan.month.slice(5));
  const monthly = SELLERS.filter((s) => MONTHLY.includes(s.payee));
  // Categories not seen yet come first, so even a short month shows several kinds of spending.
  const seen = new Set(monthly.map((s) => s.category));
  const [fresh, repeated]: Seller[][] = [[], []];
  for (const seller of rng.sample(SELLERS.filter((s) => !MONTHLY.includes(s.payee)), SELLERS.length)) {
    (seen.has(seller.category) ? repeated : fresh).push(seller);
    seen.add(seller.category);
  }
  const sellers = [...monthly, ...fresh, ...repeated].slice(0, plan.count);
  const payer = `${plan.villageName}村民委员会`;
  const payerTaxId = creditCode(new SeededRandom(`${plan.seed}/${plan.townName}/${plan.villageName}`), '54');

  const receipts = sellers.map((seller): DemoReceipt => {
    const taxRate = seller.layout === 'invoice' ? (seller.taxRate ?? 3) : null;
    const items = itemsFor(seller, taxRate ?? 0, rng);
    const net = items.reduce((sum, i) => sum + i.amountFen, 0);
    const taxFen = items.reduce((sum, i) => sum + i.taxFen, 0);
    const day = rng.int(1, plan.lastDay);
    const date = `${plan.month}-${pad2(day)}`;
    let invoiceNumber: string | null = null;
    if (seller.layout === 'invoice') {
      do invoiceNumber = rng.digits(8);
      while (usedInvoiceNumbers.has(invoiceNumber));
      usedInvoiceNumbers.add(invoiceNumber);
    }
    return {
      layout: seller.layout,
      serial: String(rng.int(100_000, 9_999_999)).padStart(7, '0'),
      payer,
      payerTaxId,
      payee: seller.payee,
      sellerTaxId: creditCode(new SeededRandom(`${plan.seed}/${seller.payee}`), seller.phone ? '92' : '91'),
      category: seller.category,
      description: seller.description(items.map((i) => i.name), m),
      items,
      taxRate,
      taxFen,
      amountFen: net + taxFen,
      date,
      invoiceCode: invoiceNumber ? `0${rng.pick(['34', '35', '36'])}00${rng.digits(7)}` : null,
      invoiceNumber,
      checkCode: invoiceNumber ? rng.digits(20) : null,
      handledBy: plan.accountant,
      clerk: rng.pick(CLERKS),
      phone: seller.phone || seller.layout === 'payslip' ? mobile(rng) : null,
      worker: seller.layout === 'payslip' ? { name: rng.pick(WORKERS), idNumber: idNumber(rng) } : null,
      fileName: `IMG_${date.replace(/-/g, '')}_${pad2(rng.int(8, 18))}${pad2(rng.int(0, 59))}${pad2(rng.int(0, 59))}.jpg`,
    };
  });
  // Uploaded in the order they were paid.
  return receipts.sort((a, b) => a.date.localeCompare(b.date));
}
