import type { Box, OcrLine, OcrResult } from '../ocr/ocr-engine';
import type { SensitiveFinding } from '../pipeline/findings';
import { detectSensitive } from '../pipeline/sensitive';
import type { VoucherRecord } from './voucher';

/** A finding counts as hidden when one redaction box covers this much of it. */
export const COVERED_FRACTION = 0.9;

/** Numbers that must never be published in the clear; names are left to the reviewer's eye. */
const MUST_HIDE = new Set<SensitiveFinding['type']>(['idcard', 'phone']);

function coveredFraction(finding: Box, box: Box): number {
  const w = Math.min(finding[0] + finding[2], box[0] + box[2]) - Math.max(finding[0], box[0]);
  const h = Math.min(finding[1] + finding[3], box[1] + box[3]) - Math.max(finding[1], box[1]);
  return w <= 0 || h <= 0 ? 0 : (w * h) / (finding[2] * finding[3]);
}

export function isCovered(finding: Box, boxes: Box[]): boolean {
  return boxes.some((box) => coveredFraction(finding, box) >= COVERED_FRACTION);
}

/**
 * ID card and phone numbers the OCR text of a voucher shows outside every redaction box.
 * Detection runs again on the stored lines (in the upright image's pixels, like the boxes),
 * so boxes a person moved or deleted are judged as they are now.
 */
export function uncoveredPersonalData(voucher: Pick<VoucherRecord, 'ocrLines' | 'ocrEngine' | 'width' | 'height' | 'redactions'>): SensitiveFinding[] {
  if (!voucher.ocrLines?.length || !voucher.width || !voucher.height) return [];
  const ocr: OcrResult = {
    engine: voucher.ocrEngine === 'tesseract' ? 'tesseract' : 'paddle',
    width: voucher.width,
    height: voucher.height,
    lines: voucher.ocrLines as OcrLine[],
  };
  const boxes = voucher.redactions.map((r) => r.box as Box);
  return detectSensitive(ocr).filter((f) => MUST_HIDE.has(f.type) && !isCovered(f.box, boxes));
}
