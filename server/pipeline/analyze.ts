import sharp from 'sharp';
import type { Box, OcrEngine, OcrResult } from '../ocr/ocr-engine';
import { extractFields } from './extract';
import type { ExtractedFields, SensitiveFinding } from './findings';
import { detectSensitive } from './sensitive';

/** Decompression bombs are refused before any pixel is decoded. */
export const MAX_INPUT_PIXELS = 50_000_000;

export interface Analysis {
  /** Size of the upright image; every box below is in its pixels. */
  width: number;
  height: number;
  ocr: OcrResult;
  fields: ExtractedFields;
  sensitive: SensitiveFinding[];
  ocrMs: number;
}

/** Upright size of an image whose EXIF orientation says it is stored rotated a quarter turn. */
export function uprightSize(meta: { width?: number; height?: number; orientation?: number }): { width: number; height: number } {
  const quarterTurn = (meta.orientation ?? 1) >= 5;
  return quarterTurn ? { width: meta.height!, height: meta.width! } : { width: meta.width!, height: meta.height! };
}

function scaleBox([x, y, w, h]: Box, factor: number): Box {
  return [Math.round(x * factor), Math.round(y * factor), Math.round(w * factor), Math.round(h * factor)];
}

/**
 * What the server and the `ocr` command both do with one image: turn it upright, bound its
 * size for the engine (memory grows with pixels), read it, and find fields and personal data.
 * Boxes come back in pixels of the upright, full-size image.
 */
export async function analyzeImage(input: Buffer, engine: OcrEngine): Promise<Analysis> {
  const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const { width, height } = uprightSize(meta);
  const prepared = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
    .autoOrient()
    .resize({ width: engine.maxSide, height: engine.maxSide, fit: 'inside', withoutEnlargement: true })
    .png({ compressionLevel: 1 })
    .toBuffer({ resolveWithObject: true });
  const started = process.hrtime.bigint();
  const raw = await engine.recognize(prepared.data);
  const ocrMs = Number(process.hrtime.bigint() - started) / 1e6;
  const factor = width / prepared.info.width;
  const ocr: OcrResult = {
    engine: raw.engine,
    width,
    height,
    lines: raw.lines.map((line) => ({ ...line, box: scaleBox(line.box, factor) })),
  };
  return { width, height, ocr, fields: extractFields(ocr), sensitive: detectSensitive(ocr), ocrMs };
}
