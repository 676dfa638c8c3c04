import type { OcrEngine } from './ocr-engine';
export interface TesseractOptions { maxSide?: number }
export async function createTesseractEngine(_o: TesseractOptions = {}): Promise<OcrEngine> { throw new Error('todo'); }
