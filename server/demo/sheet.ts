import sharp, { type OverlayOptions } from 'sharp';
import type { Box, OcrLine } from '../ocr/ocr-engine';
import type { RawImage, TextRenderer, TextStyle } from './text-renderer';

export type PersonalDataType = 'phone' | 'idcard' | 'name';

export interface TextOptions extends TextStyle {
  align?: 'left' | 'center' | 'right';
  /** A longer text is drawn smaller to fit. */
  maxWidth?: number;
  /** Personal data: its box (padded) is blacked out in the public copies. */
  personal?: PersonalDataType;
}

/** What a drawn sheet is: the JPEG, and where each text went as perfect OCR would report it. */
export interface DrawnSheet {
  jpeg: Buffer;
  width: number;
  height: number;
  lines: OcrLine[];
  personal: Array<{ type: PersonalDataType; box: Box }>;
}

/** Space around personal data that its black box adds, so anti-aliased edges are covered too. */
const REDACTION_PAD = 6;

/**
 * One receipt being drawn: a background (paper, printed lines) and texts placed by their
 * vertical centre, each recorded as an OCR line with its box in the image's pixels.
 * Layouts are written in design units; `scale` turns them into pixels.
 */
export class Sheet {
  private readonly overlays: OverlayOptions[] = [];
  private readonly lines: OcrLine[] = [];
  private readonly personal: DrawnSheet['personal'] = [];

  constructor(
    private readonly background: RawImage,
    private readonly texts: TextRenderer,
    private readonly scale = 1,
  ) {}

  /** Draws `text` with its left edge (or centre, or right edge) at `x` and its middle at `cy`; returns its box in design units. */
  async text(text: string, designX: number, designCy: number, options: TextOptions): Promise<Box> {
    const [x, cy, size, maxWidth] = [designX, designCy, options.size, options.maxWidth ?? Infinity].map((n) => n * this.scale);
    let image = await this.texts.render(text, { ...options, size: Math.round(size) });
    if (image.width > maxWidth) image = await this.texts.render(text, { ...options, size: Math.floor((size * maxWidth) / image.width) });
    const left = Math.round(options.align === 'center' ? x - image.width / 2 : options.align === 'right' ? x - image.width : x);
    const top = Math.round(cy - image.height / 2);
    this.overlays.push({ input: image.data, raw: { width: image.width, height: image.height, channels: 4 }, left, top });
    const box: Box = [left, top, image.width, image.height];
    this.lines.push({ text: text.replace(/\s+/g, ' '), box, confidence: 0.98 });
    if (options.personal) {
      const [x0, y0, w, h] = box;
      this.personal.push({ type: options.personal, box: [x0 - REDACTION_PAD, y0 - REDACTION_PAD, w + 2 * REDACTION_PAD, h + 2 * REDACTION_PAD] });
    }
    return box.map((n) => n / this.scale) as Box;
  }

  /** A seal pressed over what is printed: multiplied, so the text under it still shows. */
  stamp(stamp: RawImage, designCx: number, designCy: number): void {
    this.overlays.push({
      input: stamp.data,
      raw: { width: stamp.width, height: stamp.height, channels: 4 },
      left: Math.round(designCx * this.scale - stamp.width / 2),
      top: Math.round(designCy * this.scale - stamp.height / 2),
      blend: 'multiply',
    });
  }

  async toJpeg(): Promise<DrawnSheet> {
    const { width, height, data } = this.background;
    const jpeg = await sharp(data, { raw: { width, height, channels: 4 } })
      .composite(this.overlays)
      .removeAlpha()
      .jpeg({ quality: 88 })
      .toBuffer();
    return { jpeg, width, height, lines: readingOrder(this.lines), personal: this.personal };
  }
}

/** Rows top to bottom (centres within 8 px are one row), then left to right, as OCR engines report lines. */
function readingOrder(lines: OcrLine[]): OcrLine[] {
  const middle = (l: OcrLine) => l.box[1] + l.box[3] / 2;
  const rows: OcrLine[][] = [];
  for (const line of [...lines].sort((a, b) => middle(a) - middle(b))) {
    const row = rows.at(-1);
    if (row && middle(line) - middle(row[0]) <= 8) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box[0] - b.box[0]));
}

/** Renders an SVG of lines and boxes (no text: librsvg would need a system font) to RGBA pixels. */
export async function rasterize(svg: string): Promise<RawImage> {
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
