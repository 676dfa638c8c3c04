/**
 * Draws one demo 收据 and writes it to OUT_DIR/receipt.jpg, after writing OUT_DIR/control.jpg:
 * the same kind of Chinese text drawn with whatever fonts the system has, no font file given.
 * Run with FONTCONFIG_FILE naming an empty configuration, the control shows what a machine
 * without CJK fonts draws, and the receipt that the bundled font does not need them.
 *
 *   node --import tsx draw-demo-receipt.ts OUT_DIR
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ReceiptPainter } from '../../../server/demo/receipt-image';
import { planMonthReceipts } from '../../../server/demo/receipt-plan';

async function main() {
  const out = process.argv[2];
  // First, before the bundled font is registered with fontconfig by the painter.
  const control = await sharp({ text: { text: '新街村村民委员会 小写金额', font: 'sans 40', dpi: 72 } })
    .negate()
    .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' })
    .jpeg()
    .toBuffer();
  fs.writeFileSync(path.join(out, 'control.jpg'), control);
  const receipt = planMonthReceipts({ seed: 'fonts', townName: '新街镇', villageName: '新街村', accountant: '李秀英', month: '2026-04', count: 12, lastDay: 30 }).find(
    (r) => r.layout === 'receipt',
  )!;
  const drawn = await new ReceiptPainter().draw(receipt);
  fs.writeFileSync(path.join(out, 'receipt.jpg'), drawn.jpeg);
  fs.writeFileSync(path.join(out, 'receipt.json'), JSON.stringify({ payer: receipt.payer, amountFen: receipt.amountFen }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
