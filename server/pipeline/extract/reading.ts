/** Confidence helpers shared by the field extractors. */

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A reading is only as sure as the OCR line it came from; the line counts for a fifth. */
export function scaledByLine(confidence: number, lineConfidence: number): number {
  return round2(confidence * (0.8 + 0.2 * lineConfidence));
}
