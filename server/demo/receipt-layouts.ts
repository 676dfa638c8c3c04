import { fenToCapitalYuan, fenToYuanString } from '../../shared/money';
import type { DemoReceipt } from './receipt-plan';
import type { Sheet } from './sheet';
import type { StampSpec } from './stamp';

/** Where each layout prints: the paper and its ruled lines (SVG, no text), then the texts and the seal. */
export interface Layout {
  width: number;
  height: number;
  /** Ruled lines and boxes in the form's ink. */
  rules(ink: string): string;
  fill(sheet: Sheet, receipt: DemoReceipt, ink: string): Promise<{ stamp: StampSpec; at: [number, number] }>;
}

/** Ballpoint pen, for what is written by hand on a printed form. */
const PEN = '#1f2d86';
/** Invoices are filled in by a printer. */
const PRINTED = '#1b1b1b';
const SERIAL_RED = '#c4302b';

const yuan = (fen: number) => fenToYuanString(fen);
const line = (x1: number, y1: number, x2: number, y2: number, ink: string, width = 2) =>
  `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${ink}" stroke-width="${width}"/>`;
const rect = (x: number, y: number, w: number, h: number, ink: string, width = 2.5) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="${ink}" stroke-width="${width}"/>`;

function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 收据: a shop's or work team's receipt book, filled in with a pen and stamped 财务专用章. */
export const RECEIPT: Layout = {
  width: 1000,
  height: 640,
  rules: (ink) =>
    line(420, 124, 580, 124, ink, 2) + line(420, 130, 580, 130, ink, 1) +
    rect(70, 180, 860, 320, ink) + [260, 340, 420].map((y) => line(70, y, 930, y, ink)).join('') +
    line(260, 180, 260, 500, ink) + line(560, 420, 560, 500, ink) + line(700, 420, 700, 500, ink),
  async fill(sheet, r, ink) {
    const label = { size: 24, color: ink };
    const pen = { size: 27, color: PEN };
    await sheet.text('收  据', 500, 92, { size: 46, color: ink, bold: true, align: 'center' });
    await sheet.text('No.', 800, 92, { size: 22, color: ink });
    await sheet.text(r.serial, 845, 92, { size: 26, color: SERIAL_RED });
    await sheet.text(chineseDate(r.date), 500, 156, { ...pen, align: 'center' });
    await sheet.text('今 收 到', 90, 220, label);
    await sheet.text(r.payer, 285, 220, pen);
    await sheet.text('交    来', 90, 300, label);
    await sheet.text(`${r.items.map((i) => `${i.name}${i.quantity}${i.unit}`).join('、')}款`, 285, 300, { ...pen, maxWidth: 630 });
    await sheet.text('人民币（大写）', 90, 380, label);
    await sheet.text(fenToCapitalYuan(r.amountFen), 285, 380, pen);
    await sheet.text('小写金额', 90, 460, label);
    await sheet.text(`¥${yuan(r.amountFen)}`, 285, 460, { ...pen, size: 30 });
    await sheet.text('联系电话', 580, 460, { ...label, size: 22 });
    if (r.phone) await sheet.text(r.phone, 718, 460, { ...pen, size: 26, personal: 'phone' });
    await sheet.text('收款单位（盖章）', 90, 552, { ...label, size: 22 });
    const payee = await sheet.text(r.payee, 285, 552, pen);
    await sheet.text('经手人', 640, 552, { ...label, size: 22 });
    await sheet.text(r.handledBy, 720, 552, pen);
    return { stamp: { rim: r.payee, middle: '★', bottom: '财务专用章', rx: 74, ry: 74 }, at: [payee[0] + payee[2] / 2 + 10, 538] };
  },
};

/** 劳务费领款单: the village's own form, signed by the person paid, with their ID card and phone. */
export const PAYSLIP: Layout = {
  width: 1000,
  height: 700,
  rules: (ink) =>
    line(380, 124, 620, 124, ink, 2) + line(380, 130, 620, 130, ink, 1) +
    rect(70, 180, 860, 384, ink) + [244, 308, 372, 436, 500].map((y) => line(70, y, 930, y, ink)).join('') +
    line(260, 180, 260, 564, ink) + line(540, 372, 540, 500, ink) + line(650, 372, 650, 500, ink),
  async fill(sheet, r, ink) {
    const label = { size: 23, color: ink };
    const pen = { size: 26, color: PEN };
    const item = r.items[0];
    await sheet.text('劳务费领款单', 500, 90, { size: 44, color: ink, bold: true, align: 'center' });
    await sheet.text('No.', 800, 90, { size: 22, color: ink });
    await sheet.text(r.serial, 845, 90, { size: 26, color: SERIAL_RED });
    await sheet.text(chineseDate(r.date), 500, 154, { ...pen, align: 'center' });
    await sheet.text('领款事由', 90, 212, label);
    await sheet.text(r.description, 285, 212, { ...pen, maxWidth: 630 });
    await sheet.text('计算方式', 90, 276, label);
    await sheet.text(`${item.quantity}${item.unit} × ${yuan(item.unitPriceFen)}元`, 285, 276, pen);
    await sheet.text('金额（大写）', 90, 340, label);
    await sheet.text(fenToCapitalYuan(r.amountFen), 285, 340, pen);
    await sheet.text('小写金额', 90, 404, label);
    await sheet.text(`¥${yuan(r.amountFen)}`, 285, 404, { ...pen, size: 29 });
    await sheet.text('经手人', 560, 404, label);
    await sheet.text(r.handledBy, 668, 404, pen);
    await sheet.text('领款人（签字）', 84, 468, { ...label, size: 22 });
    await sheet.text(r.worker!.name, 285, 468, { ...pen, size: 30, personal: 'name' });
    await sheet.text('身份证号', 549, 468, label);
    await sheet.text(r.worker!.idNumber, 668, 468, { ...pen, size: 23, personal: 'idcard' });
    await sheet.text('联系电话', 90, 532, label);
    await sheet.text(r.phone!, 285, 532, { ...pen, personal: 'phone' });
    await sheet.text(`${r.payer}（盖章）`, 90, 614, { ...label, size: 22 });
    await sheet.text('审批人', 640, 614, { ...label, size: 22 });
    return { stamp: { rim: r.payer, middle: '★', bottom: '财务专用章', rx: 78, ry: 78 }, at: [250, 606] };
  },
};

const COLUMNS = { unit: 510, quantity: 610, priceRight: 790, amountRight: 950, rate: 1000, taxRight: 1130 };

/** 增值税普通发票: machine-printed, with its code, number and check code, and the oval 发票专用章. */
export const INVOICE: Layout = {
  width: 1200,
  height: 800,
  rules: (ink) =>
    line(430, 114, 770, 114, ink, 2) + line(430, 120, 770, 120, ink, 1) +
    rect(60, 170, 1080, 550, ink) + [270, 310, 560, 610].map((y) => line(60, y, 1140, y, ink)).join('') +
    line(60, 520, 1140, 520, ink, 1) + line(160, 170, 160, 270, ink) + line(160, 610, 160, 720, ink) + line(760, 610, 760, 720, ink) +
    [460, 560, 660, 800, 960, 1040].map((x) => line(x, 270, x, 560, ink, 1.5)).join(''),
  async fill(sheet, r, ink) {
    const label = { size: 20, color: ink };
    const printed = { size: 22, color: PRINTED };
    const exempt = r.taxRate === 0;
    await sheet.text('增值税普通发票', 600, 82, { size: 40, color: ink, bold: true, align: 'center' });
    await sheet.text('发票代码', 70, 72, label);
    await sheet.text(r.invoiceCode!, 170, 72, printed);
    await sheet.text('发票号码', 820, 72, label);
    await sheet.text(r.invoiceNumber!, 920, 72, { ...printed, size: 26 });
    await sheet.text('开票日期', 820, 110, label);
    await sheet.text(chineseDate(r.date), 920, 110, printed);
    await sheet.text('校 验 码', 820, 146, label);
    await sheet.text(r.checkCode!.replace(/(\d{5})(?=\d)/g, '$1 '), 920, 146, { ...printed, size: 17 });
    await sheet.text('购买方', 110, 220, { ...label, align: 'center' });
    await sheet.text('名        称：', 180, 200, label);
    await sheet.text(r.payer, 340, 200, printed);
    await sheet.text('纳税人识别号：', 180, 242, label);
    await sheet.text(r.payerTaxId, 340, 242, printed);
    const headers: Array<[string, number]> = [['项目名称', 260], ['单位', 510], ['数量', 610], ['单价', 730], ['金额', 880], ['税率', 1000], ['税额', 1090]];
    for (const [text, x] of headers) await sheet.text(text, x, 290, { ...label, size: 18, align: 'center' });
    for (const [i, item] of r.items.entries()) {
      const cy = 340 + i * 38;
      const row = { ...printed, size: 20 };
      await sheet.text(item.name, 75, cy, row);
      await sheet.text(item.unit, COLUMNS.unit, cy, { ...row, align: 'center' });
      await sheet.text(String(item.quantity), COLUMNS.quantity, cy, { ...row, align: 'center' });
      await sheet.text(yuan(item.unitPriceFen), COLUMNS.priceRight, cy, { ...row, align: 'right' });
      await sheet.text(yuan(item.amountFen), COLUMNS.amountRight, cy, { ...row, align: 'right' });
      await sheet.text(exempt ? '免税' : `${r.taxRate}%`, COLUMNS.rate, cy, { ...row, align: 'center' });
      await sheet.text(exempt ? '***' : yuan(item.taxFen), COLUMNS.taxRight, cy, { ...row, align: 'right' });
    }
    await sheet.text('合    计', 260, 540, { ...label, align: 'center' });
    await sheet.text(`¥${yuan(r.amountFen - r.taxFen)}`, COLUMNS.amountRight, 540, { ...printed, size: 20, align: 'right' });
    await sheet.text(exempt ? '***' : `¥${yuan(r.taxFen)}`, COLUMNS.taxRight, 540, { ...printed, size: 20, align: 'right' });
    await sheet.text('价税合计（大写）', 75, 585, label);
    await sheet.text(`ⓧ ${fenToCapitalYuan(r.amountFen)}`, 300, 585, printed);
    await sheet.text('（小写）', 820, 585, label);
    await sheet.text(`¥${yuan(r.amountFen)}`, 910, 585, printed);
    await sheet.text('销售方', 110, 665, { ...label, align: 'center' });
    await sheet.text('名        称：', 180, 642, label);
    await sheet.text(r.payee, 340, 642, printed);
    await sheet.text('纳税人识别号：', 180, 690, label);
    await sheet.text(r.sellerTaxId, 340, 690, printed);
    await sheet.text('备注', 790, 665, label);
    await sheet.text('收款人：', 70, 752, label);
    await sheet.text(r.clerk, 150, 752, printed);
    await sheet.text('复核：', 380, 752, label);
    await sheet.text('开票人：', 620, 752, label);
    await sheet.text(r.clerk, 700, 752, printed);
    await sheet.text('销售方：（章）', 900, 752, label);
    return { stamp: { rim: r.payee, middle: r.sellerTaxId, bottom: '发票专用章', rx: 96, ry: 62 }, at: [990, 668] };
  },
};

export const LAYOUTS = { receipt: RECEIPT, payslip: PAYSLIP, invoice: INVOICE } as const;
