/**
 * PP-OCR text recognition (CRNN/SVTR with CTC): each line is sampled straight from the image
 * into a 48-pixel-high strip (rotation, crop and resize in one bilinear pass), strips of similar
 * width are batched, and the per-column character probabilities are decoded greedily.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import type { TextRegion } from './detect';
import type { RgbImage } from './raster';

export const REC_HEIGHT = 48;
/** Very long strips cost quadratic attention time; a line this long is a table rule or noise. */
const MAX_WIDTH = 3200;

export interface Recognized {
  text: string;
  confidence: number;
}

export interface RecognizeOptions {
  batchSize: number;
  /**
   * PaddleOCR pads every strip to at least 320 px, the training width. Measured: without it, or
   * with short strips sharing one 320 px row (35% faster), decimal points and first digits get lost.
   */
  minWidth: number;
}

/** Reading frame of a line: vertical lines (PaddleOCR: height ≥ 1.5 × width) are read top to bottom. */
function readingFrame(r: TextRegion) {
  const vx = -r.uy;
  const vy = r.ux;
  if (r.height >= 1.5 * r.width) return { ux: vx, uy: vy, vx: -r.ux, vy: -r.uy, length: r.height, thickness: r.width };
  return { ux: r.ux, uy: r.uy, vx, vy, length: r.width, thickness: r.height };
}

export function stripWidth(r: TextRegion): number {
  const f = readingFrame(r);
  return Math.min(MAX_WIDTH, Math.max(1, Math.ceil((REC_HEIGHT * f.length) / f.thickness)));
}

/** Writes the line's strip, normalised to [-1, 1] in BGR planes, into `out` (width `padded`) at batch slot `slot`. */
function sampleStrip(img: RgbImage, r: TextRegion, out: Float32Array, slot: number, padded: number): void {
  const f = readingFrame(r);
  const width = stripWidth(r);
  const plane = REC_HEIGHT * padded;
  const base = slot * 3 * plane;
  const maxX = img.width - 1;
  const maxY = img.height - 1;
  for (let row = 0; row < REC_HEIGHT; row++) {
    const t = ((row + 0.5) / REC_HEIGHT - 0.5) * f.thickness;
    for (let col = 0; col < width; col++) {
      const s = ((col + 0.5) / width - 0.5) * f.length;
      // Pixel centres sit at +0.5; clamping replicates the border like PaddleOCR's crop.
      const x = Math.min(maxX, Math.max(0, r.cx + s * f.ux + t * f.vx - 0.5));
      const y = Math.min(maxY, Math.max(0, r.cy + s * f.uy + t * f.vy - 0.5));
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(maxX, x0 + 1);
      const y1 = Math.min(maxY, y0 + 1);
      const ax = x - x0;
      const ay = y - y0;
      const i00 = (y0 * img.width + x0) * 3;
      const i01 = (y0 * img.width + x1) * 3;
      const i10 = (y1 * img.width + x0) * 3;
      const i11 = (y1 * img.width + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const rgb = 2 - c;
        const top = img.data[i00 + rgb] * (1 - ax) + img.data[i01 + rgb] * ax;
        const bottom = img.data[i10 + rgb] * (1 - ax) + img.data[i11 + rgb] * ax;
        const v = top * (1 - ay) + bottom * ay;
        out[base + c * plane + row * padded + col] = v / 127.5 - 1;
      }
    }
  }
}

/** CTC greedy decoding: best class per column, repeats collapsed, blanks (class 0) dropped. */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, charset: readonly string[]): Recognized {
  let text = '';
  let sum = 0;
  let count = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row];
    for (let k = 1; k < classes; k++) {
      if (probs[row + k] > bestP) {
        bestP = probs[row + k];
        best = k;
      }
    }
    if (best !== 0 && best !== previous) {
      text += charset[best - 1] ?? '';
      sum += bestP;
      count++;
    }
    previous = best;
  }
  return { text, confidence: count ? sum / count : 0 };
}

export async function recognizeRegions(
  session: InferenceSession,
  img: RgbImage,
  regions: TextRegion[],
  charset: readonly string[],
  options: RecognizeOptions,
): Promise<Recognized[]> {
  const results: Recognized[] = new Array(regions.length);
  // Sorting by strip width keeps padding (wasted compute) small within a batch.
  const order = regions.map((r, i) => ({ i, width: stripWidth(r) })).sort((a, b) => a.width - b.width);
  for (let start = 0; start < order.length; start += options.batchSize) {
    const batch = order.slice(start, start + options.batchSize);
    const padded = Math.max(options.minWidth, batch[batch.length - 1].width);
    const data = new Float32Array(batch.length * 3 * REC_HEIGHT * padded);
    batch.forEach((item, slot) => sampleStrip(img, regions[item.i], data, slot, padded));
    const input = new Tensor('float32', data, [batch.length, 3, REC_HEIGHT, padded]);
    const output = (await session.run({ [session.inputNames[0]]: input }))[session.outputNames[0]];
    input.dispose();
    const [, steps, classes] = output.dims;
    if (classes !== charset.length + 1) throw new Error(`recognition model has ${classes} classes, dictionary ${charset.length}+1`);
    const probs = output.data as Float32Array;
    batch.forEach((item, slot) => (results[item.i] = ctcDecode(probs, slot * steps * classes, steps, classes, charset)));
    output.dispose();
  }
  return results;
}
