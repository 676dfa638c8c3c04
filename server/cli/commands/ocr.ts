import fs from 'node:fs/promises';
import sharp from 'sharp';
import { fenToYuanString } from '../../../shared/money';
import { createOcrEngine } from '../../ocr/create-engine';
import { OCR_ENGINES, type Box, type OcrEngineName } from '../../ocr/ocr-engine';
import { analyzeImage, MAX_INPUT_PIXELS, type Analysis } from '../../pipeline/analyze';
import type { SensitiveType } from '../../pipeline/findings';
import { UsageError, type StandaloneCommand } from '../command';

/** One line of `ocr --jsonl` output. */
export interface OcrRecord {
  file: string;
  amount: string | null;
  date: string | null;
  invoiceCode: string | null;
  invoiceNumber: string | null;
  payee: string | null;
  sensitive: { type: SensitiveType; bbox: Box }[];
}

/**
 * A box in the upright image → the same box in the image as stored, whose EXIF `orientation`
 * (1–8) says how to turn it upright. `stored` is the stored (not upright) size.
 */
export function boxToStoredOrientation([x, y, w, h]: Box, orientation: number, stored: { width: number; height: number }): Box {
  const { width: sw, height: sh } = stored;
  switch (orientation) {
    case 2: return [sw - x - w, y, w, h];
    case 3: return [sw - x - w, sh - y - h, w, h];
    case 4: return [x, sh - y - h, w, h];
    case 5: return [y, x, h, w];
    case 6: return [y, sh - x - w, h, w];
    case 7: return [sw - y - h, sh - x - w, h, w];
    case 8: return [sw - y - h, x, h, w];
    default: return [x, y, w, h];
  }
}

/** The output line for one analysed image; boxes go back to the stored orientation. */
export function toOcrRecord(file: string, analysis: Analysis, meta: { width: number; height: number; orientation?: number }): OcrRecord {
  const { fields } = analysis;
  return {
    file,
    amount: fields.amountFen.value === null ? null : fenToYuanString(fields.amountFen.value),
    date: fields.date.value,
    invoiceCode: fields.invoiceCode.value,
    invoiceNumber: fields.invoiceNumber.value,
    payee: fields.payee.value,
    sensitive: analysis.sensitive.map((s) => ({ type: s.type, bbox: boxToStoredOrientation(s.box, meta.orientation ?? 1, meta) })),
  };
}

/** Reads and analyses one file; the stored size and orientation come from the same bytes. */
export async function analyzeFile(file: string, analyze: (image: Buffer) => Promise<Analysis>): Promise<OcrRecord> {
  const image = await fs.readFile(file);
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  return toOcrRecord(file, await analyze(image), { width: meta.width!, height: meta.height!, orientation: meta.orientation });
}

export const ocr: StandaloneCommand = {
  name: 'ocr',
  usage: 'ocr --jsonl [--engine paddle|tesseract] FILE...',
  summary: 'read images offline and print one JSON line per file: amount, date, invoice code/number, payee, personal data boxes',
  needsDatabase: false,
  positionals: 'FILE...',
  options: {
    jsonl: { flag: true, required: true, description: 'one JSON object per line (the only output format)' },
    engine: { description: `OCR engine: ${OCR_ENGINES.join(' or ')} (default paddle)` },
  },
  async run(args, files, io) {
    const engineName = (args.engine ?? 'paddle') as OcrEngineName;
    if (!OCR_ENGINES.includes(engineName)) throw new UsageError(`--engine must be one of ${OCR_ENGINES.join(', ')}`);
    if (!files.length) throw new UsageError('give at least one image file');
    io.err(`loading the ${engineName} OCR engine…`);
    const engine = await createOcrEngine(engineName);
    let failed = 0;
    try {
      for (const [i, file] of files.entries()) {
        const started = Date.now();
        try {
          const record = await analyzeFile(file, (image) => analyzeImage(image, engine));
          io.out(JSON.stringify(record));
          io.err(`[${i + 1}/${files.length}] ${file}: ${Date.now() - started} ms`);
        } catch (error) {
          failed++;
          const message = error instanceof Error ? error.message : String(error);
          io.out(JSON.stringify({ file, error: message }));
          io.err(`[${i + 1}/${files.length}] ${file}: ${message}`);
        }
      }
    } finally {
      await engine.close();
    }
    return failed ? 1 : 0;
  },
};
