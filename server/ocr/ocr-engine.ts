/** [x, y, width, height] in pixels, origin top-left. */
export type Box = [number, number, number, number];

export type OcrEngineName = 'paddle' | 'tesseract';
export const OCR_ENGINES: readonly OcrEngineName[] = ['paddle', 'tesseract'];

export interface OcrLine {
  text: string;
  /** Axis-aligned box around the line, in pixels of the image given to `recognize`. */
  box: Box;
  /** 0–1. */
  confidence: number;
}

export interface OcrResult {
  engine: OcrEngineName;
  /** Size of the image the boxes refer to. */
  width: number;
  height: number;
  /** In reading order: top to bottom, then left to right. */
  lines: OcrLine[];
}

/**
 * One OCR engine, created once per process and reused. Fully offline: models and language
 * data come from npm packages; nothing is fetched at run time.
 */
export interface OcrEngine {
  readonly name: OcrEngineName;
  /** The longest side the engine should be given; the pipeline scales larger images down to it. */
  readonly maxSide: number;
  /** `image`: an encoded PNG or JPEG, already upright (EXIF orientation applied). */
  recognize(image: Buffer): Promise<OcrResult>;
  /** Frees native memory and worker threads. */
  close(): Promise<void>;
}
