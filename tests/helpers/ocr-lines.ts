import type { OcrLine, OcrResult } from '../../server/ocr/ocr-engine';

/** Character height of the synthetic lines; a Chinese character is this wide, a digit half. */
export const CHAR = 40;

/** One OCR line at (x, y) whose width follows its characters (Chinese 1 em, others ½ em). */
export function line(text: string, x: number, y: number, confidence = 0.99): OcrLine {
  const units = [...text].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  return { text, box: [x, y, (units * CHAR) / 2, CHAR], confidence };
}

/** An OCR result of the given lines on a 1600×1200 page. */
export function page(...lines: OcrLine[]): OcrResult {
  return { engine: 'paddle', width: 1600, height: 1200, lines };
}
