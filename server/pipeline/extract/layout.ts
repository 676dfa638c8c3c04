import type { OcrLine } from '../../ocr/ocr-engine';
import { toHalfWidth } from './text';

/** A piece of one OCR line: `start` is the index of `text` in the line's (half-width) text. */
export interface Span {
  text: string;
  line: OcrLine;
  start: number;
}

export interface LabelHit {
  line: OcrLine;
  /** Character range of the label inside the line's text. */
  start: number;
  end: number;
}

/** "发票代码" → a pattern that also matches "发 票 代 码": OCR spaces out labels printed with gaps. */
export function spaced(label: string): string {
  return [...label].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*');
}

/** Every occurrence of a label (a regex source, see `spaced`) in the lines. */
export function findLabels(lines: OcrLine[], source: string): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const line of lines) {
    const re = new RegExp(source, 'g');
    const text = toHalfWidth(line.text);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      hits.push({ line, start: m.index, end: m.index + m[0].length });
      if (m[0].length === 0) re.lastIndex++;
    }
    // A label printed with wide gaps ("名    称:") comes back as two boxes: read it across both.
    const next = text.length <= 3 ? rightOf(lines, line)[0] : undefined;
    if (!next) continue;
    const joined = new RegExp(source).exec(text + toHalfWidth(next.text));
    if (joined && joined.index < text.length && joined.index + joined[0].length > text.length)
      hits.push({ line: next, start: 0, end: joined.index + joined[0].length - text.length });
  }
  return hits;
}

const centreY = (l: OcrLine) => l.box[1] + l.box[3] / 2;

/**
 * Is `other` on the same row as `line`? Axis-aligned boxes of a tilted photo drift apart
 * vertically with distance, so the tolerance grows a little with the horizontal gap.
 */
export function sameRow(line: OcrLine, other: OcrLine): boolean {
  const height = Math.min(line.box[3], other.box[3]);
  const dx = Math.abs(other.box[0] - (line.box[0] + line.box[2]));
  return Math.abs(centreY(other) - centreY(line)) <= height * 0.6 + dx * 0.05;
}

/** Lines right of `line` on the same row, nearest first. */
export function rightOf(lines: OcrLine[], line: OcrLine): OcrLine[] {
  const right = line.box[0] + line.box[2];
  // Boxes are padded: a value may start a little inside the label's box, but not before its middle.
  return lines
    .filter((o) => o !== line && o.box[0] + o.box[2] / 2 > right && o.box[0] > line.box[0] + line.box[2] / 2 && sameRow(line, o))
    .sort((a, b) => a.box[0] - b.box[0]);
}

/** Lines starting just below `line` (within `rows` line heights) that overlap it horizontally, nearest first. */
export function below(lines: OcrLine[], line: OcrLine, rows = 2.5): OcrLine[] {
  const [x, y, w, h] = line.box;
  return lines
    .filter((o) => {
      if (o === line) return false;
      const top = o.box[1];
      if (top < y + h * 0.6 || top > y + h * (1 + rows)) return false;
      return o.box[0] < x + w + h * 2 && o.box[0] + o.box[2] > x - h;
    })
    .sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
}

/**
 * Candidate values for a label: the rest of its own line (separators trimmed), then lines to
 * its right on the same row, then (optionally) lines just below it.
 */
export function valuesAfter(lines: OcrLine[], hit: LabelHit, opts: { below?: boolean; rows?: number } = {}): Span[] {
  const spans: Span[] = [];
  const text = toHalfWidth(hit.line.text);
  const rest = /^[\s:：;；,，.。)）\]】]*/.exec(text.slice(hit.end))!;
  const start = hit.end + rest[0].length;
  if (start < text.length) spans.push({ text: text.slice(start), line: hit.line, start });
  for (const line of rightOf(lines, hit.line)) spans.push({ text: toHalfWidth(line.text), line, start: 0 });
  if (opts.below) for (const line of below(lines, hit.line, opts.rows)) spans.push({ text: toHalfWidth(line.text), line, start: 0 });
  return spans;
}

/** Lines grouped into rows (each left to right), so a value split into several boxes can be read whole. */
export function rows(lines: OcrLine[]): OcrLine[][] {
  const out: OcrLine[][] = [];
  for (const line of [...lines].sort((a, b) => centreY(a) - centreY(b))) {
    const row = out.find((r) => sameRow(r[0], line) || sameRow(line, r[0]));
    if (row) row.push(line);
    else out.push([line]);
  }
  return out.map((r) => r.sort((a, b) => a.box[0] - b.box[0]));
}

/** All the text of the lines, in reading order, one line per OCR line. */
export function fullText(lines: OcrLine[]): string {
  return lines.map((l) => toHalfWidth(l.text)).join('\n');
}
