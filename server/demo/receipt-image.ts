import type { DemoReceipt } from './receipt-plan';
import { LAYOUTS, type Layout } from './receipt-layouts';
import { rasterize, Sheet, type DrawnSheet } from './sheet';
import { drawStamp } from './stamp';
import { TextRenderer, type RawImage } from './text-renderer';

export type DrawnReceipt = DrawnSheet;

/** Receipt books come printed in red or blue; invoices in brown. One seller keeps one colour. */
function inkOf(receipt: DemoReceipt): string {
  if (receipt.layout === 'invoice') return '#8a5a2e';
  const hash = [...receipt.payee].reduce((h, c) => h + c.codePointAt(0)!, 0);
  return hash % 2 ? '#b8403a' : '#2f5597';
}

/**
 * Pixels per design unit. Smaller images are much cheaper to derive copies from (start-up time),
 * and 800–960 px wide still reads well on a phone.
 */
const SCALE = 0.8;

/** A photo of the form: a light desk, the sheet with a soft shadow, and the printed rules. */
function formSvg(layout: Layout, ink: string): string {
  const { width, height } = layout;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width * SCALE)}" height="${Math.round(height * SCALE)}" viewBox="0 0 ${width} ${height}">` +
    `<defs><filter id="shadow" x="-5%" y="-5%" width="110%" height="110%"><feGaussianBlur stdDeviation="7"/></filter></defs>` +
    `<rect width="${width}" height="${height}" fill="#cdc7bc"/>` +
    `<rect x="34" y="37" width="${width - 62}" height="${height - 62}" fill="#000" opacity="0.3" filter="url(#shadow)"/>` +
    `<rect x="26" y="26" width="${width - 52}" height="${height - 52}" fill="#fbf9f2"/>` +
    layout.rules(ink) +
    `</svg>`
  );
}

/**
 * Draws demo receipts as JPEG photos of plausible 收据, 领款单 and 发票, with every text's box
 * (for OCR lines and redaction boxes). Keeps what repeats (forms, printed labels, seals) for
 * the receipts after; make one per seeding run and drop it after.
 */
export class ReceiptPainter {
  private readonly texts = new TextRenderer();
  private readonly forms = new Map<string, Promise<RawImage>>();
  private readonly stamps = new Map<string, Promise<RawImage>>();

  async draw(receipt: DemoReceipt): Promise<DrawnReceipt> {
    const layout = LAYOUTS[receipt.layout];
    const ink = inkOf(receipt);
    const formKey = `${receipt.layout}|${ink}`;
    if (!this.forms.has(formKey)) this.forms.set(formKey, rasterize(formSvg(layout, ink)));
    const sheet = new Sheet(await this.forms.get(formKey)!, this.texts, SCALE);
    const { stamp, at } = await layout.fill(sheet, receipt, ink);
    const stampKey = JSON.stringify(stamp);
    if (!this.stamps.has(stampKey)) this.stamps.set(stampKey, drawStamp({ ...stamp, rx: stamp.rx * SCALE, ry: stamp.ry * SCALE }, this.texts));
    sheet.stamp(await this.stamps.get(stampKey)!, ...at);
    return sheet.toJpeg();
  }
}
