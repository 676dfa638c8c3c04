/**
 * PP-OCR text detection (DB, "Differentiable Binarization"): the model gives a per-pixel text
 * probability; lines are the connected regions above a threshold, grown back ("unclipped")
 * because the model is trained to predict a shrunk core of each line.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { Tensor } from 'onnxruntime-node';
import { resizeRgb, type RgbImage } from './raster';

/** A text line as an oriented rectangle in image pixels. `u` is the reading direction, `v` points "down" the line. */
export interface TextRegion {
  cx: number;
  cy: number;
  ux: number;
  uy: number;
  /** Extent along u. */
  width: number;
  /** Extent along v = (-uy, ux). */
  height: number;
  score: number;
}

export interface DetectOptions {
  /**
   * Longest side given to the detector (rounded to a multiple of 32). Measured on the fixtures:
   * 960 finds lines as well as 1280 (better: fewer split dates) at half the time and memory; 736 misses small digits.
   */
  limitSide: number;
  /** Pixel probability threshold (PaddleOCR det_db_thresh). */
  threshold: number;
  /** Minimum mean probability inside a box (PaddleOCR det_db_box_thresh, 0.6 there; 0.5 keeps faint handwritten lines). */
  boxThreshold: number;
  /** Growth of the shrunk core (PaddleOCR det_db_unclip_ratio). */
  unclipRatio: number;
}

export const DEFAULT_DETECT: DetectOptions = { limitSide: 960, threshold: 0.3, boxThreshold: 0.5, unclipRatio: 1.5 };

// PP-OCR normalisation (ImageNet mean/std), applied in the BGR channel order the models were trained on.
const MEAN_BGR = [0.485, 0.456, 0.406];
const STD_BGR = [0.229, 0.224, 0.225];
/** A component rotated more than this is treated as upright: at larger angles PCA on short blobs is noise. */
const MAX_TILT = (15 * Math.PI) / 180;
const MIN_SIDE = 3;

function detectionTensor(img: RgbImage): Tensor {
  const plane = img.width * img.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const rgb = img.data[i * 3 + (2 - c)]; // BGR plane c reads RGB channel 2-c
      out[c * plane + i] = (rgb / 255 - MEAN_BGR[c]) / STD_BGR[c];
    }
  }
  return new Tensor('float32', out, [1, 3, img.height, img.width]);
}

function roundTo32(n: number): number {
  return Math.max(32, Math.round(n / 32) * 32);
}

export async function detectRegions(session: InferenceSession, image: RgbImage, options: DetectOptions): Promise<TextRegion[]> {
  const scale = Math.min(1, options.limitSide / Math.max(image.width, image.height));
  const w = roundTo32(image.width * scale);
  const h = roundTo32(image.height * scale);
  const input = detectionTensor(await resizeRgb(image, w, h));
  const output = await session.run({ [session.inputNames[0]]: input });
  const prob = output[session.outputNames[0]].data as Float32Array;
  input.dispose();
  const regions = regionsFromProbability(prob, w, h, options);
  for (const tensor of Object.values(output)) tensor.dispose();
  return regions.map((r) => scaleRegion(r, image.width / w, image.height / h));
}

/** Connected components (4-neighbour) of prob > threshold, each turned into an oriented rectangle. */
export function regionsFromProbability(prob: Float32Array, w: number, h: number, options: DetectOptions): TextRegion[] {
  const label = new Int32Array(w * h);
  const stack: number[] = [];
  const regions: TextRegion[] = [];
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== 0 || prob[start] <= options.threshold) continue;
    next++;
    const pixels: number[] = [];
    label[start] = next;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      pixels.push(p);
      const x = p % w;
      const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w];
      for (const q of neighbours) {
        if (q >= 0 && q < w * h && label[q] === 0 && prob[q] > options.threshold) {
          label[q] = next;
          stack.push(q);
        }
      }
    }
    const region = orientedRect(pixels, w);
    if (Math.min(region.width, region.height) < MIN_SIDE) continue;
    region.score = meanInside(prob, w, h, region);
    if (region.score < options.boxThreshold) continue;
    regions.push(unclip(region, options.unclipRatio));
  }
  return regions;
}

/** Principal axis of the pixels (if the blob is a clearly elongated, slightly tilted line), then its extents. */
function orientedRect(pixels: number[], w: number): TextRegion {
  let mx = 0;
  let my = 0;
  for (const p of pixels) {
    mx += (p % w) + 0.5;
    my += Math.floor(p / w) + 0.5;
  }
  mx /= pixels.length;
  my /= pixels.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const p of pixels) {
    const dx = (p % w) + 0.5 - mx;
    const dy = Math.floor(p / w) + 0.5 - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  let angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const elongated = sxx > 4 * syy || syy > 4 * sxx;
  if (!elongated || Math.abs(angle) > MAX_TILT) angle = 0;
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (const p of pixels) {
    const dx = (p % w) + 0.5 - mx;
    const dy = Math.floor(p / w) + 0.5 - my;
    const s = dx * ux + dy * uy;
    const t = -dx * uy + dy * ux;
    minU = Math.min(minU, s);
    maxU = Math.max(maxU, s);
    minV = Math.min(minV, t);
    maxV = Math.max(maxV, t);
  }
  // +1: extents run between pixel centres, the rectangle covers whole pixels.
  const cs = (minU + maxU) / 2;
  const ct = (minV + maxV) / 2;
  return { cx: mx + cs * ux - ct * uy, cy: my + cs * uy + ct * ux, ux, uy, width: maxU - minU + 1, height: maxV - minV + 1, score: 0 };
}

/** PaddleOCR's "fast" box score: mean probability over the rectangle, not only over the bright pixels. */
function meanInside(prob: Float32Array, w: number, h: number, r: TextRegion): number {
  const [x0, y0, bw, bh] = regionBounds(r, w, h);
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y0 + bh; y++) {
    for (let x = x0; x < x0 + bw; x++) {
      const dx = x + 0.5 - r.cx;
      const dy = y + 0.5 - r.cy;
      if (Math.abs(dx * r.ux + dy * r.uy) > r.width / 2 || Math.abs(-dx * r.uy + dy * r.ux) > r.height / 2) continue;
      sum += prob[y * w + x];
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Same growth as PaddleOCR's polygon offset: distance = area × ratio / perimeter. */
function unclip(r: TextRegion, ratio: number): TextRegion {
  const d = (r.width * r.height * ratio) / (2 * (r.width + r.height));
  return { ...r, width: r.width + 2 * d, height: r.height + 2 * d };
}

function scaleRegion(r: TextRegion, sx: number, sy: number): TextRegion {
  const ux = r.ux * sx;
  const uy = r.uy * sy;
  const un = Math.hypot(ux, uy);
  const vn = Math.hypot(r.uy * sx, r.ux * sy);
  return { cx: r.cx * sx, cy: r.cy * sy, ux: ux / un, uy: uy / un, width: r.width * un, height: r.height * vn, score: r.score };
}

/** Axis-aligned [x, y, w, h] around the rectangle, clipped to the image, whole pixels. */
export function regionBounds(r: TextRegion, imageWidth: number, imageHeight: number): [number, number, number, number] {
  const hx = (Math.abs(r.ux) * r.width + Math.abs(r.uy) * r.height) / 2;
  const hy = (Math.abs(r.uy) * r.width + Math.abs(r.ux) * r.height) / 2;
  const x0 = Math.max(0, Math.floor(r.cx - hx));
  const y0 = Math.max(0, Math.floor(r.cy - hy));
  const x1 = Math.min(imageWidth, Math.ceil(r.cx + hx));
  const y1 = Math.min(imageHeight, Math.ceil(r.cy + hy));
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}
