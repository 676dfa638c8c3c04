import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fenToCapitalYuan, fenToYuanString } from '../../../shared/money';
import { ReceiptPainter, type DrawnReceipt } from '../../../server/demo/receipt-image';
import { planMonthReceipts, type DemoReceipt, type MonthPlan } from '../../../server/demo/receipt-plan';
import { uncoveredPersonalData } from '../../../server/domain/personal-data';
import { createOcrEngine } from '../../../server/ocr/create-engine';
import type { OcrEngine } from '../../../server/ocr/ocr-engine';
import { detectSensitive } from '../../../server/pipeline/sensitive';
import { NODE_TS, ROOT, spawnProcess } from '../../helpers/processes';

const PLAN: MonthPlan = { seed: 'test', townName: '新街镇', villageName: '新街村', accountant: '李秀英', month: '2026-04', count: 12, lastDay: 30 };
const compact = (s: string) => s.replace(/\s/g, '');

describe('demo receipts', () => {
  let receipts: DemoReceipt[];
  let drawn: DrawnReceipt[];
  beforeAll(async () => {
    receipts = planMonthReceipts(PLAN);
    const painter = new ReceiptPainter();
    drawn = [];
    for (const r of receipts) drawn.push(await painter.draw(r));
  }, 60_000);

  test('the same seed plans and draws the same receipts, byte for byte; another seed others', async () => {
    expect(planMonthReceipts(PLAN)).toEqual(receipts);
    const again = await new ReceiptPainter().draw(receipts[3]);
    expect(again.jpeg.equals(drawn[3].jpeg)).toBe(true);
    expect(planMonthReceipts({ ...PLAN, seed: 'other' }).map((r) => r.amountFen)).not.toEqual(receipts.map((r) => r.amountFen));
  });

  test('a month holds the three kinds, dated inside it in order, amounts adding up from the items and tax', () => {
    expect(new Set(receipts.map((r) => r.layout))).toEqual(new Set(['receipt', 'invoice', 'payslip']));
    expect(receipts.map((r) => r.date)).toEqual(receipts.map((r) => r.date).sort());
    for (const r of receipts) {
      expect(r.date).toMatch(/^2026-04-(0[1-9]|[12]\d|30)$/);
      expect(r.amountFen).toBe(r.items.reduce((sum, i) => sum + i.amountFen + i.taxFen, 0));
      expect(r.amountFen).toBeGreaterThan(0);
      if (r.layout === 'invoice') {
        expect(r.invoiceCode).toMatch(/^\d{12}$/);
        expect(r.invoiceNumber).toMatch(/^\d{8}$/);
      } else expect(r.invoiceNumber).toBeNull();
    }
  });

  test('the OCR lines are the texts drawn, in the image, with the payee (on a 领款单 the reason) and the amount in figures and in 大写', () => {
    for (const [i, r] of receipts.entries()) {
      const { lines, width, height } = drawn[i];
      const text = lines.map((l) => compact(l.text));
      expect(text).toContain(r.layout === 'payslip' ? r.description : r.payee);
      expect(text.some((t) => t.includes(fenToCapitalYuan(r.amountFen)))).toBe(true);
      expect(text).toContain(`¥${fenToYuanString(r.amountFen)}`);
      for (const { box: [x, y, w, h] } of lines) {
        expect(x >= 0 && y >= 0 && x + w <= width && y + h <= height).toBe(true);
      }
    }
  });

  test('every ID card and phone number drawn is found in the lines and lies under a redaction box', () => {
    for (const [i, r] of receipts.entries()) {
      const { lines, width, height, personal } = drawn[i];
      const found = detectSensitive({ engine: 'paddle', width, height, lines }).filter((f) => f.type !== 'name');
      const expected = [r.phone && 'phone', r.worker && 'idcard'].filter(Boolean);
      expect(found.map((f) => f.type).sort()).toEqual(expected.sort());
      expect(personal.map((p) => p.type).sort()).toEqual([...expected, ...(r.worker ? ['name'] : [])].sort());
      const voucher = { ocrLines: lines, ocrEngine: 'demo', width, height, redactions: personal.map((p) => ({ box: p.box, type: p.type, source: 'auto' as const })) };
      expect(uncoveredPersonalData(voucher)).toEqual([]);
      expect(uncoveredPersonalData({ ...voucher, redactions: [] })).toHaveLength(expected.length);
    }
  });
});

/**
 * Fontconfig told to know no fonts at all: what a server without CJK fonts installed has. The
 * control (no font file given) draws boxes the OCR cannot read; the receipt reads as written.
 */
describe('demo receipts on a machine without system fonts', () => {
  let dir: string;
  let engine: OcrEngine;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-fonts-'));
    fs.writeFileSync(path.join(dir, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig><cachedir>${dir}/cache</cachedir></fontconfig>\n`);
    const child = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'tests/helpers/processes/draw-demo-receipt.ts', dir], {
      FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
    }, ROOT);
    const code = await child.exited;
    if (code !== 0) throw new Error(`draw-demo-receipt exited ${code}:\n${child.output()}`);
    engine = await createOcrEngine('paddle');
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the receipt drawn with the bundled Noto Sans SC reads back in Chinese; the control does not', async () => {
    const { payer, amountFen } = JSON.parse(fs.readFileSync(path.join(dir, 'receipt.json'), 'utf8'));
    const read = async (file: string) => (await engine.recognize(fs.readFileSync(path.join(dir, file)))).lines.map((l) => compact(l.text)).join('\n');
    const receipt = await read('receipt.jpg');
    expect(receipt).toContain(payer);
    expect(receipt).toContain('小写金额');
    expect(receipt).toContain(fenToCapitalYuan(amountFen));
    const control = await read('control.jpg');
    expect(control).not.toMatch(/[委员会金额]/);
  }, 60_000);
});
