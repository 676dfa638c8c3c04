import type { OcrEngine, OcrEngineName } from './ocr-engine';
import { createPaddleEngine, type PaddleOptions } from './paddle-engine';
import { createTesseractEngine, type TesseractOptions } from './tesseract-engine';

export type OcrEngineOptions = PaddleOptions & TesseractOptions;

/** Loads the named engine's models (seconds, hundreds of MB): create one per process and reuse it. */
export async function createOcrEngine(name: OcrEngineName, options: OcrEngineOptions = {}): Promise<OcrEngine> {
  switch (name) {
    case 'paddle':
      return createPaddleEngine(options);
    case 'tesseract':
      return createTesseractEngine(options);
    default:
      throw new Error(`unknown OCR engine: ${String(name)}`);
  }
}
