import type { OcrLine } from './ocr-engine';

/**
 * Top to bottom, then left to right. Lines whose vertical centres are closer than half the
 * smaller line height count as one row, so a label and its value on the same row stay together
 * even when the photo is slightly tilted.
 */
export function sortReadingOrder<T extends Pick<OcrLine, 'box'>>(lines: T[]): T[] {
  const centre = (l: T) => l.box[1] + l.box[3] / 2;
  const byTop = [...lines].sort((a, b) => centre(a) - centre(b));
  const rows: T[][] = [];
  for (const line of byTop) {
    const row = rows[rows.length - 1];
    // Compared with the row's first line, not its last, so a staircase of lines cannot chain into one row.
    const first = row?.[0];
    if (first && Math.abs(centre(line) - centre(first)) < Math.min(line.box[3], first.box[3]) / 2) row.push(line);
    else rows.push([line]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box[0] - b.box[0]));
}
