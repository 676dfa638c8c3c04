/**
 * Tesseract (chi_sim + eng, LSTM) in WebAssembly through tesseract.js: a fallback engine with no
 * native code. Language data comes from the @tesseract.js-data npm packages.
 */
import sharp from 'sharp';
import { createWorker, OEM, PSM, type Line, type Worker } from 'tesseract.js';
import type { OcrEngine, OcrLine } from './ocr-engine';
import { sortReadingOrder } from './reading-order';
import { prepareTessdata, TESSERACT_LANGS, type TessdataVariant } from './tesseract-data';

export interface TesseractOptions {
  maxSide?: number;
  /** Parallel wasm workers (each one image at a time, one core, 100–200 MB). */
  workers?: number;
  variant?: TessdataVariant;
  /**
   * Page segmentation mode. Measured on the fixtures (true value in the text, 4 fields, 44 images):
   * 11 (sparse text) 61 hits, 6 (one block) 46; on the vouchers 3 (auto) and 4 read fewer than 6.
   */
  psm?: PSM;
  timeoutMs?: number;
}

export const TESSERACT_DEFAULTS = { maxSide: 1600, workers: 1, variant: '4.0.0_best_int' as TessdataVariant, psm: PSM.SPARSE_TEXT, timeoutMs: 120_000 };

const CJK = '[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]';
const SPACE_BESIDE_CJK = new RegExp(`(?<=${CJK})\\s+|\\s+(?=${CJK})`, 'g');

/** Tesseract puts spaces around every Chinese character ("2022 年 10 月"); PaddleOCR and the extractors put none. */
export function joinCjk(text: string): string {
  return text.replace(SPACE_BESIDE_CJK, '').replace(/\s+/g, ' ').trim();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`tesseract: ${what} timed out after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startWorker(langPath: string, psm: PSM, timeoutMs: number): Promise<Worker> {
  // Without an errorHandler a load error is thrown asynchronously and kills the process; with one,
  // createWorker may never settle, hence the race against the reported error and a timeout.
  let failed: (error: Error) => void = () => undefined;
  const errorReported = new Promise<never>((_, reject) => (failed = (e) => reject(new Error(`tesseract: ${String(e)}`))));
  const creating = createWorker([...TESSERACT_LANGS], OEM.LSTM_ONLY, {
    langPath,
    gzip: false,
    cacheMethod: 'none', // the default caches unpacked models in the working directory and prefers them later
    errorHandler: (e: unknown) => failed(e instanceof Error ? e : new Error(String(e))),
  });
  const worker = await withTimeout(Promise.race([creating, errorReported]), timeoutMs, 'starting a worker').catch(async (error) => {
    creating.then((w) => w.terminate()).catch(() => undefined);
    throw error;
  });
  // debug_file: tesseract's diagnostics ("Detected 147 diacritics") would go to the server's stdout.
  await worker.setParameters({ tessedit_pageseg_mode: psm, user_defined_dpi: '300', debug_file: '/dev/null' });
  return worker;
}

function toLine(line: Line): OcrLine | null {
  const text = joinCjk(line.text);
  if (!text) return null;
  const { x0, y0, x1, y1 } = line.bbox;
  return { text, box: [x0, y0, x1 - x0, y1 - y0], confidence: Math.max(0, Math.min(1, line.confidence / 100)) };
}

export async function createTesseractEngine(options: TesseractOptions = {}): Promise<OcrEngine> {
  const settings = { ...TESSERACT_DEFAULTS, ...options };
  const langPath = prepareTessdata(settings.variant);
  const start = () => startWorker(langPath, settings.psm, settings.timeoutMs);
  // One worker up front so a broken setup fails here; the others start when images queue up.
  const idle: Worker[] = [await start()];
  const all = new Set<Worker>(idle);
  let starting = 0;
  const waiting: { resolve: (w: Worker) => void; reject: (e: unknown) => void }[] = [];
  let closed = false;

  function release(worker: Worker): void {
    const next = waiting.shift();
    if (next) next.resolve(worker);
    else idle.push(worker);
  }

  function grow(): void {
    if (all.size + starting >= settings.workers || waiting.length === 0) return;
    starting++;
    start()
      .then((worker) => {
        if (closed) return void worker.terminate();
        all.add(worker);
        release(worker);
      })
      .catch((error) => waiting.shift()?.reject(error))
      .finally(() => starting--);
  }

  function acquire(): Promise<Worker> {
    if (idle.length) return Promise.resolve(idle.pop()!);
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      grow();
    });
  }

  /** A worker that timed out or failed may be wedged: drop it; a fresh one starts when needed. */
  function discard(worker: Worker): void {
    all.delete(worker);
    worker.terminate().catch(() => undefined);
    grow();
  }

  return {
    name: 'tesseract',
    maxSide: settings.maxSide,
    async recognize(image) {
      if (closed) throw new Error('OCR engine is closed');
      // Grey and contrast-stretched: tesseract binarises internally and reads faint prints better so.
      const { data, info } = await sharp(image).greyscale().normalise().png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
      const worker = await acquire();
      let result;
      try {
        result = await withTimeout(worker.recognize(data, {}, { text: false, blocks: true }), settings.timeoutMs, 'recognize');
      } catch (error) {
        discard(worker);
        throw error;
      }
      release(worker);
      const lines = (result.data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines.map(toLine)));
      return { engine: 'tesseract', width: info.width, height: info.height, lines: sortReadingOrder(lines.filter((l): l is OcrLine => l !== null)) };
    },
    async close() {
      closed = true;
      await Promise.all([...all].map((w) => w.terminate().catch(() => undefined)));
      all.clear();
    },
  };
}
